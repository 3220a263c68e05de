using System.Diagnostics;
using System.Text;

namespace Qwen.Extensions.AI.Tests.Performance;

/// <summary>
/// Publishes benchmarks/Qwen.Extensions.AI.AotSmoke with <c>PublishAot=true</c> (ILCompiler from the package feed; the native
/// link uses clang, or gcc when no <c>clang</c> is on the PATH) and runs the native binary: QwenChatClient against a loopback
/// server, both paths, offline; and publishes the QuickStart example the same way and runs it offline against the emulator.
/// Fails on any trim or AOT warning. Publishes for the machine's own runtime identifier and runs its own executable name;
/// skipped, with the reason, where NativeAOT cannot build (<see cref="NativeAotFactAttribute"/>). About 30–60 s each on an idle
/// machine; the publish is bounded at 15 minutes so that it holds on a loaded 2-core machine running the other test assemblies.
/// </summary>
public sealed class AotPublishTests
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [NativeAotFact]
    public async Task QwenChatClientPublishesWithNativeAotWithoutWarningsAndRunsOffline()
    {
        var root = FindRepositoryRoot();
        var project = Path.Combine(root, "benchmarks", "Qwen.Extensions.AI.AotSmoke", "Qwen.Extensions.AI.AotSmoke.csproj");
        var output = Path.Combine(Path.GetTempPath(), "qwen-aot-smoke-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var (publishCode, publishLog) = await RunAsync(
                "dotnet", $"publish \"{project}\" -c Release -r {NativeAotFactAttribute.RuntimeIdentifier} -o \"{output}\" -nologo -clp:NoSummary", PublishTimeout);
            Assert.True(publishCode == 0, "AOT publish failed:\n" + publishLog);
            var warnings = publishLog.Split('\n').Where(l => l.Contains("warning", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(warnings.Count == 0, "AOT publish warned:\n" + string.Join('\n', warnings));

            var exe = Path.Combine(output, NativeAotFactAttribute.ExecutableName("Qwen.Extensions.AI.AotSmoke"));
            Assert.True(File.Exists(exe), $"no native executable in the publish output:\n{publishLog}");
            var (runCode, runLog) = await RunAsync(exe, string.Empty, RunTimeout);
            Assert.True(runCode == 0, "the native smoke app failed:\n" + runLog);
            Assert.Contains("AOT SMOKE OK", runLog, StringComparison.Ordinal);
        }
        finally
        {
            try
            {
                Directory.Delete(output, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    [NativeAotFact]
    public async Task TheQuickStartExamplePublishesWithNativeAotAndRunsOfflineAgainstTheEmulator()
    {
        var root = FindRepositoryRoot();
        var project = Path.Combine(root, "examples", "QuickStart", "QuickStart.csproj");
        var output = Path.Combine(Path.GetTempPath(), "qwen-aot-quickstart-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var (publishCode, publishLog) = await RunAsync(
                "dotnet", $"publish \"{project}\" -c Release -r {NativeAotFactAttribute.RuntimeIdentifier} -p:PublishAot=true -o \"{output}\" -nologo -clp:NoSummary", PublishTimeout);
            Assert.True(publishCode == 0, "AOT publish of the quick start failed:\n" + publishLog);
            var warnings = publishLog.Split('\n').Where(l => l.Contains("warning", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(warnings.Count == 0, "AOT publish of the quick start warned:\n" + string.Join('\n', warnings));

            // No key in its environment, so it must run offline against the emulator it starts on 127.0.0.1.
            var (runCode, runLog) = await RunAsync(Path.Combine(output, NativeAotFactAttribute.ExecutableName("QuickStart")), string.Empty, RunTimeout, withoutApiKey: true);
            Assert.True(runCode == 0, "the native quick start failed:\n" + runLog);
            Assert.Contains("OFFLINE", runLog, StringComparison.Ordinal);
            Assert.Contains("(model qwen-plus", runLog, StringComparison.Ordinal);
        }
        finally
        {
            try
            {
                Directory.Delete(output, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Qwen.Extensions.AI.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Qwen.Extensions.AI.sln not found above " + AppContext.BaseDirectory);
    }

    private static async Task<(int ExitCode, string Log)> RunAsync(string fileName, string arguments, TimeSpan timeout, bool withoutApiKey = false)
    {
        var start = new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (withoutApiKey)
        {
            start.Environment.Remove("DASHSCOPE_API_KEY");
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var log = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {arguments} did not finish in {timeout}:\n{await stdout}{await stderr}");
        }

        log.Append(await stdout).Append(await stderr);
        return (process.ExitCode, log.ToString());
    }
}
