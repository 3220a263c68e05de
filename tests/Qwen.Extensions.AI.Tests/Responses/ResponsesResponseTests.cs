using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.Tests.Responses.ResponsesTestClient;

namespace Qwen.Extensions.AI.Tests.Responses;

/// <summary>docs/wire-mapping.md "Responses API: response": the docs' examples (section 1.12) and every output item type, on both paths.</summary>
public sealed class ResponsesResponseTests
{
    private static readonly ChatMessage[] Hi = [new(ChatRole.User, "What can you do?")];

    private static async Task<ChatResponse> GetAsync(string responseJson, bool streaming, ChatOptions? options = null)
    {
        var handler = new FakeHttpHandler(ResponsesStreams.Answer(responseJson, streaming));
        using var client = Create(handler);
        return await TestClient.GetAsync(client, Hi, options, streaming);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DocExampleMapsTextUsageIdsAndFloatCreatedAt(bool streaming)
    {
        var response = await GetAsync(Fixture.Text("ResponsesApi/doc-create-response.json"), streaming);

        Assert.Equal("Hello! I am Qwen3.5, a large language model developed by Alibaba Cloud with knowledge up to 2026, designed to assist you with complex reasoning, creative tasks, and multilingual conversations.", response.Text);
        Assert.Equal("f75c28fb-4064-48ed-90da-4d2cc4362xxx", response.ResponseId);
        Assert.Equal("f75c28fb-4064-48ed-90da-4d2cc4362xxx", response.ConversationId);
        Assert.Equal("qwen3.5-plus", response.ModelId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1771165900), response.CreatedAt);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(ChatRole.Assistant, Assert.Single(response.Messages).Role);
        Assert.Equal("msg_89ad23e6-f128-4d4c-b7a1-a786e7880xxx", response.Messages[0].MessageId);
        Assert.Equal(57, response.Usage!.InputTokenCount);
        Assert.Equal(44, response.Usage.OutputTokenCount);
        Assert.Equal(101, response.Usage.TotalTokenCount);
        Assert.Equal(0, response.Usage.CachedInputTokenCount);
        Assert.Equal(0, response.Usage.ReasoningTokenCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CapturedReasoningResponseMapsReasoningAndText(bool streaming)
    {
        var response = await GetAsync(Fixture.Text("ResponsesApi/capture-reasoning-response.json"), streaming);

        var contents = response.Messages.SelectMany(m => m.Contents).Where(c => c is not UsageContent).ToList();
        var reasoning = Assert.IsType<TextReasoningContent>(contents[0]);
        Assert.StartsWith("The user is asking a simple factual question", reasoning.Text, StringComparison.Ordinal);
        Assert.Equal("The capital of France is **Paris**.", response.Text);
        Assert.Equal("resp_b7f63a50-d3ca-96e4-a352-bef7e911ae32", response.ConversationId);
        Assert.Equal(33, response.Usage!.ReasoningTokenCount);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1787041707), response.CreatedAt);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReasoningOutputNoneLeavesReasoningOut(bool streaming)
    {
        var response = await GetAsync(Fixture.Text("ResponsesApi/capture-reasoning-response.json"), streaming, new ChatOptions { Reasoning = new ReasoningOptions { Output = ReasoningOutput.None } });
        Assert.DoesNotContain(response.Messages.SelectMany(m => m.Contents), c => c is TextReasoningContent);
        Assert.Equal("The capital of France is **Paris**.", response.Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryOutputItemTypeMapsToItsClosestContent(bool streaming)
    {
        var response = await GetAsync(Fixture.Text("ResponsesApi/all-output-items.json"), streaming);
        var contents = response.Messages.SelectMany(m => m.Contents).ToList();

        // web_search_call: the query, every source once as a URL and as a citation on the answer's text.
        var search = Assert.Single(contents.OfType<WebSearchToolCallContent>(), c => c.CallId == "msg_ws1");
        Assert.Equal(["Web search"], search.Queries);
        var searchResult = Assert.Single(contents.OfType<WebSearchToolResultContent>(), c => c.CallId == "msg_ws1");
        Assert.Equal(["https://cn.aliyun.com/", "https://www.aliyun.com/"], searchResult.Outputs!.OfType<UriContent>().Select(u => u.Uri.ToString()));
        Assert.NotNull(searchResult.RawRepresentation);
        var citations = contents.Where(c => c.Annotations is not null).SelectMany(c => c.Annotations!).OfType<CitationAnnotation>().Distinct().ToList();
        Assert.Contains(citations, c => c.Url == new Uri("https://cn.aliyun.com/") && c.ToolName == "web_search");
        Assert.Contains(citations, c => c.Url == new Uri("https://www.aliyun.com/") && c.ToolName == "web_search");

        // web_extractor_call: the pages as the call's queries, the pages and the extracted text as its result.
        var extractor = Assert.Single(contents.OfType<WebSearchToolCallContent>(), c => c.CallId == "msg_we1");
        Assert.Equal(["https://cn.aliyun.com/"], extractor.Queries);
        Assert.Equal("web_extractor_call", extractor.AdditionalProperties!["type"]);
        Assert.Equal("Extract key information from the home page", extractor.AdditionalProperties["goal"]);
        var extracted = Assert.Single(contents.OfType<WebSearchToolResultContent>(), c => c.CallId == "msg_we1");
        Assert.StartsWith("The useful information in https://cn.aliyun.com/", extracted.Outputs!.OfType<TextContent>().Single().Text, StringComparison.Ordinal);

        // code_interpreter_call: code → inputs, logs → outputs.
        var code = Assert.Single(contents.OfType<CodeInterpreterToolCallContent>());
        Assert.Equal("print(1+1)", Encoding.UTF8.GetString(Assert.IsType<DataContent>(Assert.Single(code.Inputs!)).Data.Span));
        var codeResult = Assert.Single(contents.OfType<CodeInterpreterToolResultContent>());
        Assert.Equal("2\n", Assert.IsType<TextContent>(Assert.Single(codeResult.Outputs!)).Text);

        // web_search_image_call and image_search_call: queries, images as URLs with their titles.
        var imageSearch = Assert.Single(contents.OfType<WebSearchToolCallContent>(), c => c.CallId == "msg_wsi1");
        Assert.Equal(["cat picture", "cute cat"], imageSearch.Queries);
        var image = Assert.IsType<UriContent>(Assert.Single(Assert.Single(contents.OfType<WebSearchToolResultContent>(), c => c.CallId == "msg_wsi1").Outputs!));
        Assert.Equal("https://example.com/cat.jpg", image.Uri.ToString());
        Assert.Equal("Cute kitten", image.AdditionalProperties!["title"]);
        Assert.Empty(Assert.Single(contents.OfType<WebSearchToolResultContent>(), c => c.CallId == "msg_is1").Outputs!);

        // mcp_call: server, tool, arguments, output.
        var mcp = Assert.Single(contents.OfType<McpServerToolCallContent>());
        Assert.Equal(("amap-maps-maps_weather", "MCP Server"), (mcp.Name, mcp.ServerName));
        Assert.Equal("Beijing", mcp.Arguments!["city"]?.ToString());
        var mcpResult = Assert.Single(contents.OfType<McpServerToolResultContent>());
        Assert.Equal("""{"city":"Beijing","forecasts":[]}""", Assert.IsType<TextContent>(Assert.Single(mcpResult.Outputs!)).Text);

        // file_search_call: the generic tool call/result pair; each result a citation with file id, name, snippet and score.
        var fileSearch = Assert.Single(contents, c => c.GetType() == typeof(ToolCallContent));
        Assert.Equal("file_search_call", fileSearch.AdditionalProperties!["type"]);
        var fileCitation = Assert.Single(citations, c => c.ToolName == "file_search");
        Assert.Equal(("file_xxx", "Introduction to Alibaba Cloud Bailian Series Phones", "The Bailian X1 has a 6.7-inch screen."), (fileCitation.FileId, fileCitation.Title, fileCitation.Snippet));
        Assert.Equal(0.7519, fileCitation.AdditionalProperties!["score"]);

        // An item type the client does not know is kept raw, never dropped.
        var unknown = Assert.Single(contents, c => c.GetType() == typeof(AIContent) && c.RawRepresentation is JsonElement e && e.GetProperty("type").GetString() == "custom_tool_call");
        Assert.NotNull(unknown);

        Assert.Equal("Alibaba Cloud's site is https://www.aliyun.com/.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UsageCarriesCachedReasoningCacheCreationAndToolCounts(bool streaming)
    {
        var usage = (await GetAsync(Fixture.Text("ResponsesApi/all-output-items.json"), streaming)).Usage!;

        Assert.Equal((1524, 1534, 3058, 1305, 1187), (usage.InputTokenCount, usage.OutputTokenCount, usage.TotalTokenCount, usage.CachedInputTokenCount, usage.ReasoningTokenCount));
        Assert.Equal(213, usage.AdditionalCounts!["cache_creation_input_tokens"]);
        Assert.Equal(1, usage.AdditionalCounts["x_tools.web_search"]);
        Assert.Equal(1, usage.AdditionalCounts["x_tools.file_search"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FunctionCallMapsToFunctionCallContentAndToolCalls(bool streaming)
    {
        var response = await GetAsync(FunctionCallResponse("resp_fc", "call_9", "get_current_weather", """{"location": "北京"}"""), streaming);

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages.SelectMany(m => m.Contents), c => c is FunctionCallContent));
        Assert.Equal(("call_9", "get_current_weather", "北京"), (call.CallId, call.Name, call.Arguments!["location"]?.ToString()));
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IncompleteMapsToLength(bool streaming)
    {
        var json = Response("cut", status: "incomplete", extra: "\"incomplete_details\":{\"reason\":\"max_output_tokens\"},");
        var handler = new FakeHttpHandler(streaming ? CannedResponse.Sse(ResponsesStreams.Of(json, "response.incomplete")) : CannedResponse.Json(json));
        using var client = Create(handler);
        var response = await TestClient.GetAsync(client, Hi, null, streaming);

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal("cut", response.Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StoreFalseLeavesConversationIdUnset(bool streaming)
    {
        var response = await GetAsync(Response(extra: "\"store\":false,"), streaming, new ChatOptions { AdditionalProperties = new() { ["store"] = false } });
        Assert.Equal("resp_1", response.ResponseId);
        Assert.Null(response.ConversationId);
    }

    [Fact]
    public async Task RequestIdHeaderIsKept()
    {
        var response = await GetAsync(Response(), streaming: false);
        Assert.Equal(CannedResponse.DefaultRequestId, response.AdditionalProperties![QwenPropertyNames.RequestId]);
        Assert.IsType<JsonElement>(response.RawRepresentation);
    }

    [Fact]
    public async Task RateLimitReportedAsFailedIn200IsAnError()
    {
        var handler = new FakeHttpHandler(CannedResponse.JsonFixture("ResponsesApi/error-rate-limit-200.json"));
        using var client = Create(handler);

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(Hi));

        Assert.Equal("Operation model request rate limit exceeded, please try again later.", ex.ServiceMessage);
        Assert.Equal("server_error", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
    }

    [Fact]
    public async Task RateLimitReportedAsFailedIn200IsRetriedLikeA429()
    {
        var clock = new RecordingTimeProvider();
        var handler = new FakeHttpHandler(CannedResponse.JsonFixture("ResponsesApi/error-rate-limit-200.json"), CannedResponse.Json(Response("after the wait")));
        using var client = Create(handler, o =>
        {
            o.MaxRetries = 2;
            o.TimeProvider = clock;
            o.RequestTimeout = Timeout.InfiniteTimeSpan;
        });

        var response = await client.GetResponseAsync(Hi);

        Assert.Equal("after the wait", response.Text);
        Assert.Equal(2, handler.RequestCount);
        Assert.Single(clock.Delays);
    }

    [Fact]
    public async Task OtherFailedStatusIn200IsNotRetried()
    {
        var failed = """{"id":"resp_x","object":"response","status":"failed","output":[],"error":{"code":"InvalidParameter","message":"<400> InternalError.Algo.InvalidParameter: The web_extractor tool must be executed with web_search tool."}}""";
        var handler = new FakeHttpHandler(CannedResponse.Json(failed), CannedResponse.Json(Response()));
        using var client = Create(handler, o => o.MaxRetries = 2);

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(Hi));

        Assert.Equal("InvalidParameter", ex.ErrorCode);
        Assert.Contains("must be executed with web_search", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.RequestCount);
    }

    [Theory]
    [InlineData("error-missing-model.json", HttpStatusCode.BadRequest, "InvalidParameter", "[400] missing_required_parameter: Missing required parameter: 'model'.", "0bf11b24-0c67-95da-bb15-f85dabcfdb7f")]
    [InlineData("error-bad-key.json", HttpStatusCode.Unauthorized, "InvalidApiKey", "Invalid API-key provided.", "5dc15bba-5586-9f64-980f-c36b679d9a65")]
    [InlineData("error-no-key.json", HttpStatusCode.Unauthorized, "InvalidApiKey", "No API-key provided.", "…")]
    public async Task FlatErrorBodiesAreParsed(string fixture, HttpStatusCode status, string code, string message, string requestId)
    {
        foreach (var streaming in new[] { false, true })
        {
            var handler = new FakeHttpHandler(CannedResponse.JsonFixture("ResponsesApi/" + fixture, status, requestId: null));
            using var client = Create(handler);

            var ex = await Assert.ThrowsAsync<QwenApiException>(() => TestClient.GetAsync(client, Hi, null, streaming));

            Assert.Equal((status, code, message, requestId), (ex.StatusCode!.Value, ex.ErrorCode, ex.ServiceMessage, ex.RequestId));
        }
    }

    [Fact]
    public async Task KeyEchoedInAnErrorIsRedacted()
    {
        var body = $$"""{"request_id":"r1","code":"InvalidApiKey","message":"Invalid API-key provided: {{TestClient.ApiKey}}"}""";
        var handler = new FakeHttpHandler(CannedResponse.Json(body, HttpStatusCode.Unauthorized));
        using var client = Create(handler);

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(Hi));

        Assert.DoesNotContain(TestClient.ApiKey, ex.Message, StringComparison.Ordinal);
        Assert.Contains("***", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedBodyIsAQwenApiException()
    {
        var handler = new FakeHttpHandler(CannedResponse.Json("{\"id\":"));
        using var client = Create(handler);
        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(Hi));
        Assert.Contains("malformed response body", ex.Message, StringComparison.Ordinal);
    }
}
