using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Qwen.Extensions.AI.IntegrationTests.Examples;

/// <summary>Child processes are CPU-heavy on small CI machines: run them alone, not alongside timing-sensitive tests.</summary>
[CollectionDefinition(nameof(ExampleProcesses), DisableParallelization = true)]
public sealed class ExampleProcesses;

/// <summary>Every example runs offline (no DASHSCOPE_API_KEY) against its in-process emulator and prints what it promises.</summary>
[Collection(nameof(ExampleProcesses))]
public sealed class ExamplesRunOfflineTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string, string[]> Examples => new()
    {
        { "QuickStart", ["I am Qwen", "(streamed)", "Waves fold into foam,\nsalt wind carries gull voices,\nthe tide keeps its time."] },
        { "Vision", ["image/png image of about", "https://dashscope.oss-cn-beijing.aliyuncs.com/images/dog_and_girl.jpeg) arrived intact"] },
        { "Tools", ["[tool] get_weather(city: Paris)", "get_weather returned Sunny, 22 °C in Paris.", "[tool] get_local_time(city: Tokyo)", "get_local_time returned It is 14:30 in Tokyo."] },
        { "Thinking", ["[Thinking] The user asks", "[Answer] 17 * 23 = 391.", "(reasoning returned: no)", "[None] reasoning tokens: 0; answer: 17 * 23 = 391.", "[Low] reasoning tokens: ", "[ExtraHigh] reasoning tokens: "] },
        { "StructuredOutput", ["CityInfo { Name = Paris, Country = France, Population = 2102650 }", "Colors: Red, Yellow, Blue", "Sentiment: Positive"] },
        { "DependencyInjection", ["[otel] chat qwen-plus server.address=127.0.0.1 server.port=", "Invoking get_local_time", "GetResponseAsync invoked", "get_local_time returned It is 14:30 in Tokyo.", "[turbo] 6 * 7 = 42. (model qwen-turbo)"] },
        { "SemanticKernelAgent", ["thinking > ", "→ Weather.GetForecast(city: Hangzhou) = Hangzhou: sunny, 18–25°C, light breeze", "→ Calendar.AddEvent(title: Picnic at West Lake, date: tomorrow) = added 'Picnic at West Lake' on tomorrow", "qwen > "] },
        { "ContextCache", ["(tokens in 2313: cache written 2313, cache read 0)", "cache written 46, cache read 2313)", "(one marker of our own, policy off)", "(cache read 2300)"] },
        { "Agent", ["[tool] get_weather(city: Paris)", "get_weather returned Sunny, 22 °C in Paris.", "6 * 7 = 42.", "[approval] book_table(city: Paris) needs approval: approving", "book_table returned Table for two booked in Paris at 19:30.", "CityInfo { Name = Paris, Country = France, Population = 2102650 }", "messages; ConversationId: none (the agent keeps the history).", "Summary: user said \"What is the weather like in Paris today?\""] },
        { "Rag", ["Embedded 5 documents (1024 dimensions", "[nearest] Returns: you can return any product within 30 days of delivery for a full refund.", "status processed)", "According to policies.txt: \"Shipping: orders to Hangzhou and Shanghai arrive in two to three working days.\"", "[deleted] True"] },
        { "Responses", ["6 * 7 = 42.", "[conversation] resp_", "12 + 30 = 42.", "[stored] resp_", "Sources (2):", "[1] https://cn.aliyun.com/ (via web_search)", "[2] https://www.aliyun.com/ (via web_search)"] },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task ExampleRunsOfflineAndPrintsItsAnswer(string example, string[] expected)
    {
        var (exitCode, output) = await RunAsync(example);

        Assert.True(exitCode == 0, $"{example} exited with {exitCode}:\n{output}");
        Assert.Contains("OFFLINE: DASHSCOPE_API_KEY is not set", output);
        Assert.Contains("Replies are deterministic stand-ins, not the model's", output);
        Assert.DoesNotContain("Exception", output);
        foreach (var text in expected)
        {
            Assert.True(output.Contains(text, StringComparison.Ordinal), $"{example} output lacks '{text}':\n{output}");
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string example)
    {
        var configuration = typeof(ExamplesRunOfflineTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
        var dll = Path.Combine(RepositoryRoot(), "examples", example, "bin", configuration, "net10.0", example + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; the test project builds every example first (ProjectReference without output).");

        // DOTNET_HOST_PATH is the dotnet that runs the tests (set by the SDK); fall back to the one on PATH.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(dll);
        start.Environment.Remove("DASHSCOPE_API_KEY");
        start.Environment.Remove("DASHSCOPE_ENDPOINT");
        start.Environment.Remove("DASHSCOPE_MODEL");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{example} did not finish within {RunTimeout.TotalSeconds} s:\n{await stdout}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

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
