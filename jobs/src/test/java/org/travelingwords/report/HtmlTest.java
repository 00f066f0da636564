package org.travelingwords.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Text from the tables reaches the page as text. */
class HtmlTest {

    @Test
    void escapesMarkupAndQuotes() {
        assertEquals("&lt;b a=&quot;1&quot; b=&#39;2&#39;&gt;x &amp;amp; y&lt;/b&gt;", Html.text("<b a=\"1\" b='2'>x &amp; y</b>"));
        assertEquals("", Html.text(null));
    }

    @Test
    void tokensShowTheirWhitespace() {
        assertEquals("<code class=\"tok\"> &lt;a&gt;↵⇥</code>", Html.token(" <a>\n\t"));
    }

    @Test
    void numbersKeepThreeSignificantDigits() {
        assertEquals("0.523", Html.num(0.52331));
        assertEquals("-4.09e-05", Html.num(-4.0889e-5));
        assertEquals("12,346", Html.num(12_345.6));
        assertEquals("–", Html.num((Double) null));
    }
}
