using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using OpenAI;

namespace Qwen.Extensions.AI.Benchmarks;

/// <summary>The contenders, each over its own <see cref="HttpClient"/> on the same canned handler; the endpoint is a fake DashScope URL that never leaves the process.</summary>
public sealed class Contenders : IDisposable
{
    public static readonly Uri Endpoint = new("https://dashscope.test/compatible-mode/v1");
    private const string ApiKey = "sk-benchmark";

    private readonly HttpClient _http;

    public Contenders(CannedResponse response, bool drainRequest = false, bool streamingRawRepresentation = false)
    {
        Handler = new CannedHandler(response, drainRequest);
        _http = new HttpClient(Handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };

        Qwen = new QwenChatClient(new QwenClientOptions { ApiKey = ApiKey, Endpoint = Endpoint, DefaultModelId = Payloads.Model, StreamingRawRepresentation = streamingRawRepresentation }, _http);

        var openAI = new OpenAIClient(
            new ApiKeyCredential(ApiKey),
            new OpenAIClientOptions { Endpoint = Endpoint, Transport = new HttpClientPipelineTransport(_http) });
        OpenAI = openAI.GetChatClient(Payloads.Model).AsIChatClient();

        SemanticKernel = new OpenAIChatCompletionService(Payloads.Model, Endpoint, ApiKey, httpClient: _http);
    }

    public CannedHandler Handler { get; }

    /// <summary>Gets the shared <see cref="HttpClient"/> (for the floor over HTTP).</summary>
    public HttpClient Http => _http;

    public IChatClient Qwen { get; }

    public IChatClient OpenAI { get; }

    public IChatCompletionService SemanticKernel { get; }

    public void Dispose()
    {
        Qwen.Dispose();
        OpenAI.Dispose();
        _http.Dispose();
    }
}
