using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Qwen.Extensions.AI.IntegrationTests.Examples;

namespace Qwen.Extensions.AI.IntegrationTests.Emulator;

/// <summary>The emulator run as a process (what <c>dotnet run --project src/Qwen.Extensions.AI.Emulator</c> starts): options and a graceful stop on signals.</summary>
[Collection(nameof(ExampleProcesses))]
public sealed class EmulatorProcessTests
{
    private const int SigInt = 2;
    private const int SigTerm = 15;

    // Generous: a cold start and a stop on a loaded 2-core machine; the tests assert the outcome, not the time.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(SigTerm)]
    [InlineData(SigInt)]
    public async Task Signal_StopsTheProcessGracefullyWithExitCodeZero(int signal)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // POSIX signals; on Windows the console lifetime handles Ctrl+C, which a test cannot send to a child.
        }

        using var process = Start("--port", "0");
        var output = new StringBuilder();
        var endpoint = await WaitForEndpointAsync(process, output);

        // It serves before the signal.
        using (var http = new HttpClient())
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint + "/chat/completions")
            {
                Content = new StringContent("""{"model":"qwen-plus","messages":[{"role":"user","content":"What is 6 * 7?"}]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new("Bearer", "sk-qwen-emulator");
            using var response = await http.SendAsync(request, TestTimeout.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("6 * 7 = 42.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(0, Kill(process.Id, signal));
        var rest = await WaitForExitAsync(process);
        output.Append(rest);

        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode} after signal {signal}:\n{output}");
        Assert.Contains("Qwen emulator stopped.", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Port_ListensOnTheGivenPort()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var port = FreePort();
        using var process = Start("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--key", "sk-test-key");
        var output = new StringBuilder();
        var endpoint = await WaitForEndpointAsync(process, output);
        Assert.Equal(0, Kill(process.Id, SigTerm));
        await WaitForExitAsync(process);

        Assert.Equal($"http://127.0.0.1:{port}/compatible-mode/v1", endpoint);
        Assert.Contains("API key:  sk-test-key", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_PrintsUsageAndExitsZero(string flag)
    {
        using var process = Start(flag);
        var output = await WaitForExitAsync(process);

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("Usage: Qwen.Extensions.AI.Emulator [--port N] [--key KEY] [--help]", output, StringComparison.Ordinal);
        Assert.Contains("SIGTERM", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--port", "seventy")]
    [InlineData("--port")]
    public async Task BadArguments_ExitWithCodeTwoAndSayWhy(params string[] args)
    {
        using var process = Start(args);
        var output = await WaitForExitAsync(process);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains(args[0], output, StringComparison.Ordinal);
    }

    private static Process Start(params string[] args)
    {
        var configuration = typeof(EmulatorProcessTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
        var dll = Path.Combine(RepositoryRoot(), "src", "Qwen.Extensions.AI.Emulator", "bin", configuration, "net10.0", "Qwen.Extensions.AI.Emulator.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; the test project builds the emulator first.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return Process.Start(start)!;
    }

    private static async Task<string> WaitForEndpointAsync(Process process, StringBuilder output)
    {
        using var timeout = new CancellationTokenSource(Bound);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.AppendLine(line);
                if (line.StartsWith("Endpoint: ", StringComparison.Ordinal))
                {
                    // Read the key line too, so the caller sees it in the output.
                    output.AppendLine(await process.StandardOutput.ReadLineAsync(timeout.Token));
                    return line["Endpoint: ".Length..].Trim();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        process.Kill(entireProcessTree: true);
        Assert.Fail("The emulator process did not print its endpoint:\n" + output + await process.StandardError.ReadToEndAsync());
        return string.Empty;
    }

    private static async Task<string> WaitForExitAsync(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The emulator process did not exit within {Bound.TotalSeconds} s:\n{await stdout}");
        }

        return await stdout + await stderr;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int Kill(int pid, int signal) => SysKill(pid, signal);

#pragma warning disable SYSLIB1054 // A blittable P/Invoke; LibraryImport would need unsafe code in the test project.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);
#pragma warning restore SYSLIB1054

    private static string RepositoryRoot()
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
}
