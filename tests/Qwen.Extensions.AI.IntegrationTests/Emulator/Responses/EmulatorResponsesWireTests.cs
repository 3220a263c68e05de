using System.Net;
using System.Text.Json;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.IntegrationTests.Emulator.Responses;

/// <summary>
/// The emulator's <c>/responses</c> over raw HTTP against shared/docs/dashscope-more.md §1: the documented payloads' shapes (§1.12),
/// the SSE framing and event sequence (§1.9), and every documented error (§1.3, §1.10).
/// </summary>
public sealed class EmulatorResponsesWireTests : IAsyncLifetime
{
    private ResponsesHttp _http = null!;

    public async Task InitializeAsync() => _http = await ResponsesHttp.StartAsync();

    public async Task DisposeAsync() => await _http.DisposeAsync();

    [Fact]
    public async Task CreateHasTheShapeOfTheDocumentedResponse()
    {
        var (status, body) = await _http.PostAsync("""{"model":"qwen3.5-plus","input":"What can you do?"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Shape.Covers(ResponsesDocExamples.CreateResponse, body);
        Assert.Matches("^resp_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", body.GetProperty("id").GetString());
        Assert.Matches("^msg_[0-9a-f-]{36}$", body.GetProperty("output")[0].GetProperty("id").GetString());
        Assert.Equal(_http.Clock.GetUtcNow().ToUnixTimeSeconds(), body.GetProperty("created_at").GetInt64());
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Equal("qwen3.5-plus", body.GetProperty("model").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal(usage.GetProperty("input_tokens").GetInt32() + usage.GetProperty("output_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal("response_api", usage.GetProperty("x_details")[0].GetProperty("x_billing_type").GetString());
    }

    [Fact]
    public async Task TheDocumentedCurlRequestIsAnswered()
    {
        var (status, body) = await _http.PostAsync(ResponsesDocExamples.CreateRequest);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("qwen3.8-max", body.GetProperty("model").GetString());
        Assert.Equal("message", body.GetProperty("output").EnumerateArray().Last().GetProperty("type").GetString());
    }

    [Fact]
    public async Task ReasoningResponseHasTheShapeOfTheCapture()
    {
        var (_, body) = await _http.PostAsync("""{"model":"qwen3.8-max","input":"What is the capital of France?"}""");

        Shape.Covers(ResponsesDocExamples.ReasoningResponse, body);
        var output = body.GetProperty("output");
        Assert.Equal(["reasoning", "message"], output.EnumerateArray().Select(o => o.GetProperty("type").GetString()));
        Assert.Equal("The capital of France is Paris.", output[1].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.True(body.GetProperty("usage").GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32() > 0);
    }

    [Theory]
    [InlineData("""{"model":"qwen3.5-plus","input":"hi","reasoning":{"effort":"none"}}""", false)]
    [InlineData("""{"model":"qwen3.5-plus","input":"hi","reasoning":{"effort":"high"}}""", true)]
    [InlineData("""{"model":"qwen3.8-max","input":"hi","reasoning":{"effort":"none"}}""", false)]
    [InlineData("""{"model":"qwen3.5-plus","input":"hi","enable_thinking":true}""", true)]
    public async Task ReasoningFollowsEffortAndEnableThinking(string request, bool reasons)
    {
        var (_, body) = await _http.PostAsync(request);

        Assert.Equal(reasons, body.GetProperty("output")[0].GetProperty("type").GetString() == "reasoning");
    }

    [Fact]
    public async Task StreamFollowsTheDocumentedSequenceAndFraming()
    {
        var (status, frames, raw) = await _http.StreamAsync("""{"model":"qwen3.5-plus","input":"Write a haiku","stream":true}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var types = frames.Select(f => f.Type).ToList();
        Assert.Equal(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"], types.Take(4));
        Assert.Equal(["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"], types.TakeLast(4));
        Assert.All(types.Skip(4).SkipLast(4), t => Assert.Equal("response.output_text.delta", t));
        Assert.Equal(Enumerable.Range(0, frames.Count), frames.Select(f => f.Json.GetProperty("sequence_number").GetInt32()));
        Assert.Equal(Enumerable.Range(1, frames.Count), frames.Select(f => f.Id));

        // Each documented event's keys, with the same kinds (the doc's elisions removed).
        foreach (var documented in ResponsesDocExamples.BasicStream)
        {
            using var doc = JsonDocument.Parse(ResponsesDocExamples.Parseable(documented));
            var type = doc.RootElement.GetProperty("type").GetString();
            Shape.Covers(doc.RootElement, frames.First(f => f.Type == type).Json);
        }

        var created = frames[0].Json.GetProperty("response");
        Assert.Equal("queued", created.GetProperty("status").GetString());
        Assert.Equal(string.Empty, created.GetProperty("model").GetString());
        Assert.StartsWith(ResponsesDocExamples.CreatedFrame[..ResponsesDocExamples.CreatedFrame.IndexOf("data:", StringComparison.Ordinal)].Replace("\r", string.Empty, StringComparison.Ordinal), raw, StringComparison.Ordinal);
        var deltas = string.Concat(frames.Where(f => f.Type == "response.output_text.delta").Select(f => f.Json.GetProperty("delta").GetString()));
        Assert.Equal(DefaultHaiku, deltas);
        Assert.Equal(deltas, frames.Single(f => f.Type == "response.output_text.done").Json.GetProperty("text").GetString());
        var completed = frames[^1].Json.GetProperty("response");
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal(deltas, completed.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task CompletedEventHasTheShapeOfTheCapture()
    {
        var (_, frames, _) = await _http.StreamAsync("""{"model":"qwen3-coder-plus","input":"hi","instructions":"You are a helpful assistant.","stream":true}""");

        Shape.Covers(ResponsesDocExamples.CompletedEvent, frames[^1].Json);
        Assert.Equal("You are a helpful assistant.", frames[^1].Json.GetProperty("response").GetProperty("instructions").GetString());
    }

    [Fact]
    public async Task ReasoningStreamsAsSummaryTextEvents()
    {
        var (_, frames, _) = await _http.StreamAsync("""{"model":"qwen3.8-max","input":"What is the capital of France?","stream":true}""");

        var types = frames.Select(f => f.Type).ToList();
        Assert.Equal("response.output_item.added", types[2]);
        Assert.Equal("reasoning", frames[2].Json.GetProperty("item").GetProperty("type").GetString());
        Assert.Contains("response.reasoning_summary_text.delta", types);
        Assert.Contains("response.reasoning_summary_text.done", types);
        Assert.DoesNotContain("response.reasoning_text.delta", types);
        var delta = frames.First(f => f.Type == "response.reasoning_summary_text.delta");
        Shape.Covers(ResponsesDocExamples.WebSearchStream[1], delta.Json);
        Shape.Covers(ResponsesDocExamples.WebSearchStream[0], frames[2].Json);
        var reasoning = string.Concat(frames.Where(f => f.Type == "response.reasoning_summary_text.delta").Select(f => f.Json.GetProperty("delta").GetString()));
        Assert.Equal(reasoning, frames.Single(f => f.Type == "response.reasoning_summary_text.done").Json.GetProperty("text").GetString());
    }

    [Fact]
    public async Task LegacyPathAnswersLikeTheNewOne()
    {
        var (status, body) = await _http.PostAsync("""{"model":"qwen-plus","input":"What is 6 * 7?"}""", "api/v2/apps/protocols/compatible-mode/v1/responses");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("6 * 7 = 42.", body.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("""{"model":"__nope__","input":"x"}""", "Unsupported model: '__nope__'")]
    [InlineData("""{"model":"qwen3-vl-plus","input":"x"}""", "Unsupported model: 'qwen3-vl-plus'")]
    [InlineData("""{"model":"MiniMax-M2.5","input":"x"}""", "Unsupported model: 'MiniMax-M2.5'")]
    [InlineData("""{"input":"x"}""", "[400] missing_required_parameter: Missing required parameter: 'model'.")]
    [InlineData("""{"model":"qwen-plus","input":"x","reasoning":{"effort":"bogus_level"}}""", "Invalid 'reasoning.effort': bogus_level. Supported values are: ('none','minimal','low','medium','high','xhigh','max').")]
    [InlineData("""{"model":"qwen-plus","input":"x","max_output_tokens":1}""", "Invalid 'max_output_tokens': must be greater than or equal to 16, got 1.")]
    [InlineData("""{"model":"qwen-plus","input":"x","max_output_tokens":15}""", "Invalid 'max_output_tokens': must be greater than or equal to 16, got 15.")]
    [InlineData("""{"model":"qwen-plus","input":"x","temperature":5}""", "Invalid 'temperature': 5. Expected a value between [0,2), but got 5 instead.")]
    [InlineData("""{"model":"qwen-plus","input":"x","temperature":2}""", "Invalid 'temperature': 2. Expected a value between [0,2), but got 2 instead.")]
    [InlineData("""{"model":"qwen-plus","input":"x","top_p":9}""", "Invalid 'top_p': 9. Expected a value between (0,1], but got 9 instead.")]
    [InlineData("""{"model":"qwen-plus","input":"x","top_p":0}""", "Invalid 'top_p': 0. Expected a value between (0,1], but got 0 instead.")]
    [InlineData("""{"model":"qwen-plus","input":"x","store":"NOT_A_BOOL"}""", "Invalid 'store': NOT_A_BOOL. Must be a boolean.")]
    [InlineData("""{"model":"qwen-plus","input":"x","previous_response_id":"resp_1","conversation":"conv_1"}""", "Mutually exclusive parameters: Ensure you are only providing one of: previous_response_id or conversation.")]
    [InlineData("""{"model":"qwen-plus","input":"x","previous_response_id":"resp_missing"}""", "Not found previous_response_id: resp_missing")]
    [InlineData("""{"model":"qwen-plus","input":"x","tools":[{"type":"function","function":{"name":"f","parameters":{}}}]}""", "<400> InternalError.Algo.InvalidParameter: The parameters, when provided as a dict, must confirm to a valid openai-compatible JSON schema.")]
    [InlineData("""{"model":"qwen-plus","input":"x","tools":[{"type":"file_search","vector_store_ids":["kb1","kb2"]}]}""", "<400> InternalError.Algo.InvalidParameter: Currently, only one knowledge base ID is supported.")]
    public async Task InvalidRequestsGetTheFlatBodyAndTheDocumentedMessage(string request, string message)
    {
        var (status, body) = await _http.PostAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["code", "message", "request_id"], body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("InvalidParameter", body.GetProperty("code").GetString());
        Assert.Equal(message, body.GetProperty("message").GetString());
        Assert.Equal(_http.Emulator.LastRequest!.RequestId, body.GetProperty("request_id").GetString());
        Shape.Covers(ResponsesDocExamples.MissingModelBody, body);
    }

    [Fact]
    public async Task UnlistedParametersAreIgnored()
    {
        var (status, body) = await _http.PostAsync("""{"model":"qwen-plus","input":"hi","text":{"format":{"type":"json_schema","name":"x","schema":{"type":"object"}}},"parallel_tool_calls":true,"background":true,"metadata":{"a":"b"},"tools":[{"type":"computer"}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Equal("computer", body.GetProperty("tools")[0].GetProperty("type").GetString());
        Assert.Equal("b", body.GetProperty("metadata").GetProperty("a").GetString());
    }

    [Theory]
    [InlineData("sk-wrong", "Invalid API-key provided.")]
    [InlineData(null, "No API-key provided.")]
    public async Task BadOrMissingKeysGet401WithTheFlatBody(string? key, string message)
    {
        var (status, body) = await _http.PostAsync("""{"model":"qwen-plus","input":"x"}""", key: key);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Shape.Covers(ResponsesDocExamples.BadKeyBody, body);
        Assert.Equal("InvalidApiKey", body.GetProperty("code").GetString());
        Assert.Equal(message, body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ListingResponsesIs405AndUnsupportedSubResourcesAre404()
    {
        var (listed, listBody) = await _http.GetAsync("compatible-mode/v1/responses");
        var (cancel, cancelBody) = await _http.SendAsync(HttpMethod.Post, "compatible-mode/v1/responses/resp_1/cancel", "{}", "", null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, listed);
        Assert.Equal("Method Not Allowed", listBody.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, cancel);
        Assert.Equal("Not Found", cancelBody.GetProperty("code").GetString());
        Assert.Equal("Not support", cancelBody.GetProperty("message").GetString());
    }

    [Fact]
    public async Task StreamedValidationErrorIsOneFailedEventOnHttp200()
    {
        var (status, frames, _) = await _http.StreamAsync("""{"model":"__nope__","input":"x","stream":true}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var frame = Assert.Single(frames);
        Assert.Equal("response.failed", frame.Event);
        Shape.Covers(ResponsesDocExamples.Parseable(ResponsesDocExamples.StreamedErrorData), frame.Json);
        var error = frame.Json.GetProperty("response").GetProperty("error");
        Assert.Equal("Unsupported model: '__nope__'", error.GetProperty("message").GetString());
        Assert.Equal("InvalidParameter", error.GetProperty("code").GetString());
        Assert.Equal(0, frame.Json.GetProperty("sequence_number").GetInt32());
    }

    [Fact]
    public async Task ScriptedRateLimitIsHttp200WithStatusFailed()
    {
        _http.Emulator.Enqueue(EmulatorReply.Fail(429, "server_error", "Operation model request rate limit exceeded, please try again later."));

        var (status, body) = await _http.PostAsync("""{"model":"qwen-plus","input":"x"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        using var documented = JsonDocument.Parse(ResponsesDocExamples.RateLimitBody);
        Assert.Equal(documented.RootElement.EnumerateObject().Select(p => p.Name), body.EnumerateObject().Select(p => p.Name));
        Shape.Covers(documented.RootElement, body);
        Assert.Equal("failed", body.GetProperty("status").GetString());
        Assert.Equal(documented.RootElement.GetProperty("error").GetRawText(), body.GetProperty("error").GetRawText());
        Assert.StartsWith("resp_", body.GetProperty("id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScriptedRateLimitOnAStreamIsAFailedEvent()
    {
        _http.Emulator.Enqueue(EmulatorReply.Fail(429, "server_error", "Operation model request rate limit exceeded, please try again later."));

        var (status, frames, _) = await _http.StreamAsync("""{"model":"qwen-plus","input":"x","stream":true}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("response.failed", Assert.Single(frames).Type);
        Assert.Equal("server_error", frames[0].Json.GetProperty("response").GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task ScriptedHttpErrorsKeepTheirStatusWithTheFlatBody()
    {
        _http.Emulator.Enqueue(EmulatorReply.Fail(500, "InternalError", "An internal error has occured."));

        var (status, body) = await _http.PostAsync("""{"model":"qwen-plus","input":"x"}""");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal(["code", "message", "request_id"], body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ScriptedMidStreamErrorEndsWithResponseFailed()
    {
        _http.Emulator.Enqueue(EmulatorReply.Default() with { ErrorEventAfter = 3 });

        var (_, frames, _) = await _http.StreamAsync("""{"model":"qwen-plus","input":"Write a haiku","stream":true}""");

        Assert.Equal(4, frames.Count);
        Assert.Equal("response.failed", frames[^1].Type);
        Assert.Equal(3, frames[^1].Json.GetProperty("sequence_number").GetInt32());
        Assert.Equal(frames[0].Json.GetProperty("response").GetProperty("id").GetString(), frames[^1].Json.GetProperty("response").GetProperty("id").GetString());
    }

    [Fact]
    public async Task ScriptedCutEndsTheStreamWithoutATerminalEvent()
    {
        _http.Emulator.Enqueue(EmulatorReply.Default() with { CutAfterEvents = 2 });
        using var http = new HttpClient { BaseAddress = _http.Emulator.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "compatible-mode/v1/responses")
        {
            Content = new StringContent("""{"model":"qwen-plus","input":"Write a haiku","stream":true}"""),
        };
        request.Headers.Authorization = new("Bearer", _http.Emulator.ApiKey);

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestTimeout.Token);
        var read = new MemoryStream();
        await Assert.ThrowsAnyAsync<Exception>(async () => await (await response.Content.ReadAsStreamAsync(TestTimeout.Token)).CopyToAsync(read, TestTimeout.Token));

        var text = System.Text.Encoding.UTF8.GetString(read.ToArray());
        Assert.Contains("event:response.in_progress", text, StringComparison.Ordinal);
        Assert.DoesNotContain("response.completed", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScriptedTextAndToolCallsBecomeOutputItems()
    {
        _http.Emulator.Enqueue(EmulatorReply.Text("Scripted.", reasoning: "Because."), EmulatorReply.ToolCall("get_weather", """{"city":"Paris"}""", "call_42"));

        var (_, text) = await _http.PostAsync("""{"model":"qwen-plus","input":"x"}""");
        var (_, call) = await _http.PostAsync("""{"model":"qwen-plus","input":"x"}""");

        Assert.Equal(["reasoning", "message"], text.GetProperty("output").EnumerateArray().Select(o => o.GetProperty("type").GetString()));
        Assert.Equal("Scripted.", text.GetProperty("output")[1].GetProperty("content")[0].GetProperty("text").GetString());
        var item = Assert.Single(call.GetProperty("output").EnumerateArray());
        Shape.Covers(ResponsesDocExamples.FunctionCallItem, item);
        Assert.Equal("call_42", item.GetProperty("call_id").GetString());
    }

    [Fact]
    public async Task MaxOutputTokensCutsTheAnswerAsIncomplete()
    {
        var (_, body) = await _http.PostAsync("""{"model":"qwen-plus","input":"Tell me a long story about dragons","max_output_tokens":16}""");
        var (_, frames, _) = await _http.StreamAsync("""{"model":"qwen-plus","input":"Tell me a long story about dragons","max_output_tokens":16,"stream":true}""");

        Assert.Equal("incomplete", body.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", body.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal(16, body.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal("response.incomplete", frames[^1].Type);
        Assert.Equal("incomplete", frames[^1].Json.GetProperty("response").GetProperty("status").GetString());
    }

    private const string DefaultHaiku = "Quiet loopback port,\nrequests arrive and depart,\nanswers bloom offline.";
}
