# Installs the ai-blame single executable (no Python or Node.js needed) on Windows x64:
#
#   powershell -ExecutionPolicy ByPass -c "irm https://github.com/ai-blame/ai-blame-ts/releases/latest/download/install.ps1 | iex"
#
# It downloads ai-blame-win-x64.exe and the release's SHA256SUMS, refuses a download whose checksum differs, installs
# ai-blame.exe into %USERPROFILE%\.local\bin (replacing an older one in one step) and adds that folder to the user's
# PATH. Settings, all optional, from the environment:
#   AI_BLAME_VERSION       a release version, the tag without its v (default: the latest)
#   AI_BLAME_INSTALL_DIR   where to put ai-blame.exe (default: %USERPROFILE%\.local\bin)
#   AI_BLAME_DOWNLOAD_URL  the folder holding the release assets (default: the GitHub release)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$RepoUrl = "https://github.com/ai-blame/ai-blame-ts"

function Fail([string]$Message) {
  [Console]::Error.WriteLine("ai-blame install: error: $Message")
  exit 1
}

function Say([string]$Message) {
  [Console]::Error.WriteLine("ai-blame install: $Message")
}

$arch = $env:PROCESSOR_ARCHITEW6432
if (-not $arch) { $arch = $env:PROCESSOR_ARCHITECTURE }
# x64 builds run on Windows on Arm through its x64 emulation.
if ($arch -ne "AMD64" -and $arch -ne "ARM64") { Fail "no ai-blame build for the $arch processor; try: pip install ai-blame" }
$asset = "ai-blame-win-x64.exe"

if ($env:AI_BLAME_DOWNLOAD_URL) {
  $base = $env:AI_BLAME_DOWNLOAD_URL.TrimEnd("/")
} elseif ($env:AI_BLAME_VERSION) {
  $base = "$RepoUrl/releases/download/v$($env:AI_BLAME_VERSION.TrimStart('v'))"
} else {
  $base = "$RepoUrl/releases/latest/download"
}
$dir = if ($env:AI_BLAME_INSTALL_DIR) { $env:AI_BLAME_INSTALL_DIR } else { Join-Path $HOME ".local\bin" }

$tmp = Join-Path ([IO.Path]::GetTempPath()) ("ai-blame-" + [Guid]::NewGuid())
New-Item -ItemType Directory -Path $tmp | Out-Null
try {
  Say "downloading $asset from $base"
  $exe = Join-Path $tmp $asset
  $sums = Join-Path $tmp "SHA256SUMS"
  try {
    Invoke-WebRequest -UseBasicParsing -Uri "$base/$asset" -OutFile $exe
    Invoke-WebRequest -UseBasicParsing -Uri "$base/SHA256SUMS" -OutFile $sums
  } catch {
    Fail "could not download from ${base}: $($_.Exception.Message)"
  }
  $expected = $null
  foreach ($line in Get-Content $sums) {
    $parts = $line -split "\s+", 2
    if ($parts.Count -eq 2 -and $parts[1].TrimStart("*") -eq $asset) { $expected = $parts[0].ToLowerInvariant(); break }
  }
  if (-not $expected) { Fail "SHA256SUMS has no checksum for $asset" }
  $actual = (Get-FileHash -Algorithm SHA256 -Path $exe).Hash.ToLowerInvariant()
  if ($actual -ne $expected) { Fail "checksum mismatch for $asset (expected $expected, got $actual); nothing was installed" }

  New-Item -ItemType Directory -Force -Path $dir | Out-Null
  $target = Join-Path $dir "ai-blame.exe"
  $staging = Join-Path $dir ".ai-blame.installing.exe"
  Copy-Item -Force $exe $staging
  Move-Item -Force $staging $target
  $version = & $target --version
  if ($LASTEXITCODE -ne 0) { Fail "installed $target, but it does not run on this machine" }
  Say "installed $version to $target"

  $userPath = [Environment]::GetEnvironmentVariable("Path", "User")
  if (-not (($userPath -split ";") -contains $dir)) {
    [Environment]::SetEnvironmentVariable("Path", (@($dir) + ($userPath -split ";" | Where-Object { $_ })) -join ";", "User")
    Say "added $dir to your PATH (open a new terminal to use it)"
  }
} finally {
  Remove-Item -Recurse -Force $tmp -ErrorAction SilentlyContinue
}
