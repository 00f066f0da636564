#!/usr/bin/env bash
# Puts libtorch and DJL's JNI library into DJL's cache from the build's jars, so that no container
# extracts or downloads libtorch at run time and nothing has to load it at image build time (a CUDA
# libtorch cannot be loaded on a build host without a GPU driver).
#
#   docker/fill-djl-cache.sh jobs/target/classpath.txt /opt/djl-cache
#
# Writes CACHE/pytorch/<pytorch_version>-<flavor>-<classifier>/ (the libraries of the pytorch-native
# jar and <djl_version>-libdjl_torch.so) and CACHE/pytorch-flavor. That folder is where DJL looks when
# no pytorch-native jar is on the classpath and PYTORCH_FLAVOR names the flavor, which is how the
# image runs: its application jar is built without the native jar, docker/entrypoint.sh exports
# PYTORCH_FLAVOR from CACHE/pytorch-flavor.
set -euo pipefail
classpath_file=$1
cache=$2

jar_named() {
  local jar
  jar=$(tr ':' '\n' < "$classpath_file" | grep "/$1[^/]*\.jar$" | head -1)
  [ -n "$jar" ] || { echo "no $1*.jar in $classpath_file" >&2; exit 1; }
  echo "$jar"
}
property() { # JAR ENTRY KEY
  unzip -p "$1" "$2" | tr -d '\r' | sed -n "s/^$3=//p"
}

engine=$(jar_named pytorch-engine-)
jni=$(jar_named pytorch-jni-)
native=$(jar_named pytorch-native-)

# The engine's own versions, not the native jar's dated one: without a native jar DJL names the folder so.
version=$(property "$engine" pytorch-engine.properties pytorch_version)
djl_version=$(property "$engine" pytorch-engine.properties djl_version)
flavor=$(property "$native" native/lib/pytorch.properties flavor)
classifier=$(property "$native" native/lib/pytorch.properties classifier)

dir="$cache/pytorch/$version-$flavor-$classifier"
mkdir -p "$dir"
unzip -q -o -j "$native" "pytorch/$flavor/$classifier/*" -d "$dir"
unzip -p "$jni" "jnilib/$classifier/$flavor/libdjl_torch.so" > "$dir/$djl_version-libdjl_torch.so"
if [ ! -s "$dir/libtorch.so" ] || [ ! -s "$dir/$djl_version-libdjl_torch.so" ]; then
  echo "libtorch or the JNI library is missing in $dir" >&2
  exit 1
fi
echo "$flavor" > "$cache/pytorch-flavor"
echo "libtorch $version ($flavor, $classifier) for DJL $djl_version in $dir"
