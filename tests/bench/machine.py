"""The machine a benchmark ran on, for the reports' "Machine:" line
(tests/bench/throughput-peers/report.py, tests/bench/fhir/report.py)."""
import os
import platform
import subprocess


def describe(root, build=None):
    """Cores, CPU model, kernel, the build's CMAKE_BUILD_TYPE and the commit."""
    model = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    build_type = "unknown"
    cache = os.path.join(build or os.path.join(root, "build"), "CMakeCache.txt")
    if os.path.exists(cache):
        for line in open(cache):
            if line.startswith("CMAKE_BUILD_TYPE:"):
                build_type = line.split("=", 1)[1].strip()
    commit = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} cores, {model}, Linux {platform.release()}, build {build_type}, commit {commit}"


def load_average():
    return " / ".join("%.2f" % v for v in os.getloadavg())
