using System.Net.Http.Headers;

namespace Qwen.Extensions.AI.Benchmarks;

/// <summary>Where the non-streaming 1 KB reply's allocations go: the bare HttpClient round trip on the canned handler vs the whole client.</summary>
public static class AllocationSplit
{
    public static async Task<IReadOnlyList<string>> MeasureAsync()
    {
        var response = Payloads.NonStreaming1KB;
        using var contenders = new Contenders(response);
        using var http = new HttpClient(new CannedHandler(response));
        var body = new byte[300];
        async Task<int> Bare()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Contenders.Endpoint) { Content = new ReadOnlyMemoryContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer sk-x");
            using var answer = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            return (await answer.Content.ReadAsByteArrayAsync()).Length;
        }

        var lines = new List<string>();
        foreach (var (name, run) in new (string, Func<Task<int>>)[]
        {
            ("bare HttpClient round trip + ReadAsByteArrayAsync", Bare),
            ("QwenChatClient.GetResponseAsync", () => Workloads.ResponseAsync(contenders.Qwen, Workloads.Prompt, Workloads.Options)),
            ("OpenAIChatClient.GetResponseAsync", () => Workloads.ResponseAsync(contenders.OpenAI, Workloads.Prompt, Workloads.Options)),
        })
        {
            await run();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var task = run();
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            lines.Add($"{name}: {allocated:N0} bytes{(task.IsCompleted ? string.Empty : " (went async: incomplete count)")}");
            await task;
        }

        return lines;
    }
}
