using System.Runtime.InteropServices;

namespace Qwen.Extensions.AI.Tests.Performance;

/// <summary>
/// A fact that publishes with NativeAOT: skipped, with the reason, on a machine where NativeAOT cannot build (no native
/// toolchain on the PATH, or an OS/architecture NativeAOT does not target). Also names the machine's runtime identifier
/// and executable suffix, so the AOT tests run on Linux, macOS and Windows, x64 and arm64.
/// </summary>
public sealed class NativeAotFactAttribute : FactAttribute
{
    public NativeAotFactAttribute()
    {
        var reason = WhyNativeAotCannotBuild();
        if (reason is not null)
        {
            Skip = "NativeAOT cannot build on this machine: " + reason;
        }
    }

    /// <summary>The portable runtime identifier of this machine (linux-x64, linux-musl-arm64, osx-arm64, win-x64, ...), or null.</summary>
    public static string? RuntimeIdentifier
    {
        get
        {
            string? arch = RuntimeInformation.OSArchitecture switch
            {
                Architecture.X64 => "x64",
                Architecture.Arm64 => "arm64",
                _ => null,
            };
            string? os = OperatingSystem.IsWindows() ? "win"
                : OperatingSystem.IsMacOS() ? "osx"
                : OperatingSystem.IsLinux() ? (IsMusl ? "linux-musl" : "linux")
                : null;
            return arch is null || os is null ? null : os + "-" + arch;
        }
    }

    /// <summary>The file name of a native executable named <paramref name="name"/> on this OS.</summary>
    public static string ExecutableName(string name) => OperatingSystem.IsWindows() ? name + ".exe" : name;

    private static bool IsMusl =>
        RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.OrdinalIgnoreCase) || File.Exists("/etc/alpine-release");

    private static string? WhyNativeAotCannotBuild()
    {
        if (RuntimeIdentifier is null)
        {
            return $"NativeAOT does not target {RuntimeInformation.OSDescription} on {RuntimeInformation.OSArchitecture}.";
        }

        if (OperatingSystem.IsWindows())
        {
            var vswhere = Path.Combine(
                Environment.GetFolderPath(Environment.SpecialFolder.ProgramFilesX86), "Microsoft Visual Studio", "Installer", "vswhere.exe");
            return File.Exists(vswhere) ? null : "no Visual Studio C++ build tools (vswhere.exe not found); install the 'Desktop development with C++' workload.";
        }

        if (OperatingSystem.IsMacOS())
        {
            return OnPath("clang") ? null : "no clang on the PATH; install the Xcode command line tools (xcode-select --install).";
        }

        // Linux: the ILCompiler links with clang, or gcc when there is no clang, and strips symbols with objcopy.
        if (!OnPath("clang") && !OnPath("gcc"))
        {
            return "no clang or gcc on the PATH; install clang (or gcc) and zlib development files.";
        }

        return OnPath("objcopy") || OnPath("llvm-objcopy") ? null : "no objcopy on the PATH (binutils or llvm).";
    }

    private static bool OnPath(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(dir, tool)))
            {
                return true;
            }
        }

        return false;
    }
}
