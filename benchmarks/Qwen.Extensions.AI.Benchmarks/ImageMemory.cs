using Microsoft.Extensions.AI;

namespace Qwen.Extensions.AI.Benchmarks;

/// <summary>
/// Bytes allocated while sending one request that carries a large image (the image itself is allocated before measuring),
/// and the request body size. The service caps a data URI at 10,485,760 bytes, so the largest image Qwen accepts is ~7.8 MB.
/// </summary>
public static class ImageMemory
{
    public static async Task<IReadOnlyList<string>> MeasureAsync(int imageBytes = 7_800_000)
    {
        var lines = new List<string> { $"image: {imageBytes:N0} bytes (base64 data URI {(imageBytes + 2) / 3 * 4:N0} bytes)" };
        using var contenders = new Contenders(Payloads.NonStreaming1KB, drainRequest: true);
        var image = BigRequest.Image(imageBytes);
        foreach (var (name, client) in new[] { ("Qwen", contenders.Qwen), ("OpenAIChatClient", contenders.OpenAI) })
        {
            // First call: cold (pooled buffers are rented for the first time); then steady state. A fresh DataContent each
            // time (over the same bytes), because DataContent caches the data URI string once something asks for it.
            for (var round = 0; round < 3; round++)
            {
                var (messages, options) = BigRequest.Create(image);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var before = GC.GetTotalAllocatedBytes(precise: true);
                await Workloads.ResponseAsync(client, messages, options);
                var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
                lines.Add($"{name} {(round == 0 ? "first" : "steady")} call: allocated {allocated:N0} bytes ({(double)allocated / imageBytes:F2}x the image), request body {contenders.Handler.RequestBytes:N0} bytes");
            }
        }

        return lines;
    }
}
