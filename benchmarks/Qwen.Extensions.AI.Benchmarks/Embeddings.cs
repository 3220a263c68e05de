using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Qwen.Extensions.AI.Benchmarks;

/// <summary>
/// Ten 1024-dimension embeddings (one batch, the service's limit) read by <see cref="QwenEmbeddingGenerator"/> and by
/// Microsoft.Extensions.AI.OpenAI's embedding generator from the same canned bytes (the captured DashScope shape with
/// 17-digit floats); the baseline is the OpenAI connector. <see cref="Floor"/> is the same bytes through one
/// <see cref="Utf8JsonReader"/> pass into float arrays, no HTTP, no objects around them.
/// </summary>
public class Embeddings10x1024
{
    public const int Count = 10;
    public const int Dimensions = 1024;

    private static readonly string[] Inputs = [.. Enumerable.Range(0, Count).Select(i => $"Document {i}: the refund policy for tickets bought online.")];

    private HttpClient _http = null!;
    private QwenEmbeddingGenerator _qwen = null!;
    private IEmbeddingGenerator<string, Embedding<float>> _openAI = null!;

    /// <summary>Gets the canned answer: ten vectors of 1024 floats with usage and id, about 200 KB.</summary>
    public static CannedResponse Response { get; } = Build();

    [GlobalSetup]
    public void Setup()
    {
        _http = new HttpClient(new CannedHandler(Response), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _qwen = new QwenEmbeddingGenerator(new QwenClientOptions { ApiKey = "sk-benchmark", Endpoint = Contenders.Endpoint, DefaultModelId = "text-embedding-v4" }, _http);
        _openAI = new OpenAIClient(new ApiKeyCredential("sk-benchmark"), new OpenAIClientOptions { Endpoint = Contenders.Endpoint, Transport = new HttpClientPipelineTransport(_http) })
            .GetEmbeddingClient("text-embedding-v4")
            .AsIEmbeddingGenerator();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _qwen.Dispose();
        _openAI.Dispose();
        _http.Dispose();
    }

    [Benchmark]
    public async Task<int> Qwen() => Total(await _qwen.GenerateAsync(Inputs).ConfigureAwait(false));

    [Benchmark(Baseline = true)]
    public async Task<int> OpenAIEmbeddingGenerator() => Total(await _openAI.GenerateAsync(Inputs).ConfigureAwait(false));

    /// <summary>The parse floor: one reader pass, each <c>embedding</c> array into a float array of the known size.</summary>
    [Benchmark]
    public int Floor()
    {
        var reader = new Utf8JsonReader(Response.Body);
        var total = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("embedding"u8))
            {
                reader.Read();
                var vector = new float[Dimensions];
                var n = 0;
                while (reader.Read() && reader.TokenType == JsonTokenType.Number)
                {
                    vector[n++] = reader.GetSingle();
                }

                total += n;
            }
        }

        return total;
    }

    private static int Total(GeneratedEmbeddings<Embedding<float>> embeddings) => embeddings.Sum(e => e.Vector.Length);

    private static CannedResponse Build()
    {
        var random = new Random(42);
        var json = new StringBuilder(Count * Dimensions * 22);
        json.Append("{\"data\":[");
        for (var i = 0; i < Count; i++)
        {
            json.Append(i == 0 ? "{\"embedding\":[" : ",{\"embedding\":[");
            for (var d = 0; d < Dimensions; d++)
            {
                json.Append(d == 0 ? string.Empty : ",").Append(((random.NextDouble() - 0.5) / 5).ToString("R", CultureInfo.InvariantCulture));
            }

            json.Append(CultureInfo.InvariantCulture, $"],\"index\":{i},\"object\":\"embedding\"}}");
        }

        json.Append("],\"model\":\"text-embedding-v4\",\"object\":\"list\",\"usage\":{\"prompt_tokens\":120,\"total_tokens\":120},\"id\":\"37989997-27b1-9416-98af-091ae0b5c118\"}");
        return new CannedResponse(Encoding.UTF8.GetBytes(json.ToString()), null, "application/json");
    }
}
