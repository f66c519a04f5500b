# Installs dockdojo on Windows, without administrator rights. In PowerShell:
#
#   irm https://github.com/dockdojo/dockdojo/releases/latest/download/install.ps1 | iex
#
# It reads the release's SHA256SUMS, picks the zip for this processor,
# downloads it, checks its SHA-256, puts dockdojo.exe in
# %LOCALAPPDATA%\Programs\dockdojo and adds that folder to your PATH.
# Nothing is installed when a check fails.
#
# Settings, as environment variables:
#
#   DOCKDOJO_BASE_URL        the folder of the release's files (default: the
#                            latest release on GitHub; a classroom serves
#                            http://HOST:PORT/download)
#   DOCKDOJO_VERSION         that release of GitHub's, e.g. v1.2.3
#   DOCKDOJO_INSTALL_DIR     where dockdojo.exe goes
#   DOCKDOJO_NO_MODIFY_PATH  set to 1 to leave your PATH alone
#
# Works in Windows PowerShell 5.1 and PowerShell 7. It runs in a script block
# and stops with an error, never `exit`, so that `| iex` does not close the
# window it runs in.

& {
    $ErrorActionPreference = 'Stop'
    # The progress bar of Invoke-WebRequest makes downloads in Windows
    # PowerShell 5.1 many times slower.
    $ProgressPreference = 'SilentlyContinue'
    # Windows PowerShell 5.1 may not offer TLS 1.2 by itself; GitHub needs it.
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12

    function Stop-Install([string]$Message) {
        throw "dockdojo install: $Message"
    }

    $releases = 'https://github.com/dockdojo/dockdojo/releases'
    $base = $env:DOCKDOJO_BASE_URL
    if ($base -and $env:DOCKDOJO_VERSION) {
        Stop-Install 'DOCKDOJO_VERSION picks a release on GitHub; a DOCKDOJO_BASE_URL folder holds one release already: set one of them'
    } elseif ($env:DOCKDOJO_VERSION) {
        $base = "$releases/download/$($env:DOCKDOJO_VERSION)"
    } elseif (-not $base) {
        $base = "$releases/latest/download"
    }
    $base = $base.TrimEnd('/')
    $dir = $env:DOCKDOJO_INSTALL_DIR
    if (-not $dir) {
        $dir = Join-Path $env:LOCALAPPDATA 'Programs\dockdojo'
    }

    # A 32-bit PowerShell on a 64-bit Windows sees the machine's processor in
    # PROCESSOR_ARCHITEW6432.
    $cpu = $env:PROCESSOR_ARCHITEW6432
    if (-not $cpu) {
        $cpu = $env:PROCESSOR_ARCHITECTURE
    }
    switch ($cpu) {
        'AMD64' { $arch = 'amd64' }
        'ARM64' { $arch = 'arm64' }
        default { Stop-Install "dockdojo is not released for $cpu processors; with Go 1.26 or newer: go install github.com/dockdojo/dockdojo/cmd/dockdojo@latest" }
    }

    $tmp = Join-Path ([IO.Path]::GetTempPath()) ('dockdojo-' + [Guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $tmp | Out-Null
    try {
        $sums = Join-Path $tmp 'SHA256SUMS'
        try {
            Invoke-WebRequest -UseBasicParsing -Uri "$base/SHA256SUMS" -OutFile $sums
        } catch {
            Stop-Install "could not download $base/SHA256SUMS ($($_.Exception.Message)); is the address right, and is this computer online (or on the classroom's network)?"
        }
        # "HASH  dockdojo_VERSION_windows_ARCH.zip", as sha256sum writes it.
        $want = $null
        $name = $null
        foreach ($line in Get-Content -LiteralPath $sums) {
            if ($line -match "^([0-9A-Fa-f]{64}) [ *](dockdojo_[A-Za-z0-9.+-]+_windows_$arch\.zip)\s*$") {
                $want = $Matches[1].ToLowerInvariant()
                $name = $Matches[2]
                break
            }
        }
        if (-not $name) {
            Stop-Install "$base/SHA256SUMS names no dockdojo archive for windows/$arch"
        }
        $release = ($name -replace '^dockdojo_', '') -replace '_.*$', ''

        Write-Host "Downloading dockdojo $release for windows/$arch from $base ..."
        $zip = Join-Path $tmp $name
        try {
            Invoke-WebRequest -UseBasicParsing -Uri "$base/$name" -OutFile $zip
        } catch {
            Stop-Install "could not download $base/$name ($($_.Exception.Message))"
        }
        $got = (Get-FileHash -Algorithm SHA256 -LiteralPath $zip).Hash.ToLowerInvariant()
        if ($got -ne $want) {
            Stop-Install "$name is not the file the release lists: its SHA-256 is $got, where $base/SHA256SUMS says $want. Nothing was installed. The download was damaged or changed on its way; try again, and if it happens again, tell whoever runs $base."
        }

        $unpacked = Join-Path $tmp 'x'
        Expand-Archive -LiteralPath $zip -DestinationPath $unpacked -Force
        $exe = Join-Path $unpacked 'dockdojo.exe'
        if (-not (Test-Path -LiteralPath $exe)) {
            Stop-Install "$name holds no dockdojo.exe"
        }
        New-Item -ItemType Directory -Force -Path $dir | Out-Null
        $target = Join-Path $dir 'dockdojo.exe'
        # Windows lets a running program be renamed but not overwritten:
        # move the old one aside first.
        $old = "$target.old"
        if (Test-Path -LiteralPath $old) {
            Remove-Item -LiteralPath $old -Force -ErrorAction SilentlyContinue
        }
        if (Test-Path -LiteralPath $target) {
            Move-Item -LiteralPath $target -Destination $old -Force
        }
        Copy-Item -LiteralPath $exe -Destination $target
        Write-Host "Installed dockdojo $release (windows/$arch) as $target."
    } finally {
        Remove-Item -LiteralPath $tmp -Recurse -Force -ErrorAction SilentlyContinue
    }

    $userPath = [Environment]::GetEnvironmentVariable('Path', 'User')
    $entries = @()
    if ($userPath) {
        $entries = @($userPath -split ';' | Where-Object { $_ })
    }
    if ($entries -contains $dir) {
        Write-Host 'Start with: dockdojo   (dockdojo doctor checks that Docker is ready)'
    } elseif ($env:DOCKDOJO_NO_MODIFY_PATH -eq '1') {
        Write-Host "$dir is not on your PATH: add it (Settings, 'Edit environment variables for your account'), or run $target"
    } else {
        [Environment]::SetEnvironmentVariable('Path', (($entries + $dir) -join ';'), 'User')
        $env:Path = "$env:Path;$dir"
        Write-Host "Added $dir to your PATH. Start with: dockdojo   (in a new window too; dockdojo doctor checks that Docker is ready)"
    }
}
