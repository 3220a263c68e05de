using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.Tests.Responses.ResponsesTestClient;

namespace Qwen.Extensions.AI.Tests.Responses;

/// <summary>docs/wire-mapping.md "Responses API: streaming": the docs' event streams, terminal events, cuts and function calls from items.</summary>
public sealed class ResponsesStreamingTests
{
    private static readonly ChatMessage[] Hi = [new(ChatRole.User, "Hi")];

    private static async Task<(List<ChatResponseUpdate> Updates, Exception? Error)> StreamAsync(string sse, Action<QwenClientOptions>? configure = null)
    {
        var handler = new FakeHttpHandler(CannedResponse.Sse(sse));
        using var client = Create(handler, configure);
        var updates = new List<ChatResponseUpdate>();
        try
        {
            await foreach (var update in client.GetStreamingResponseAsync(Hi))
            {
                updates.Add(update);
            }
        }
        catch (Exception ex)
        {
            return (updates, ex);
        }

        return (updates, null);
    }

    /// <summary>The docs print the basic sequence as bare JSON lines with "..." elisions: elisions dropped, <c>data:</c> framing added.</summary>
    private static string DocBasicStream()
    {
        var sb = new StringBuilder();
        foreach (var line in Fixture.Text("ResponsesApi/doc-basic-stream.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            sb.Append("data:").Append(line.Replace(",...", string.Empty, StringComparison.Ordinal).Replace("[...]", "[]", StringComparison.Ordinal)).Append("\n\n");
        }

        return sb.ToString();
    }

    [Fact]
    public async Task DocBasicStreamBecomesTextAndUsage()
    {
        var (updates, error) = await StreamAsync(DocBasicStream());

        Assert.Null(error);
        var response = updates.ToChatResponse();
        Assert.Equal("Artificial intelligence", response.Text);
        Assert.Equal("428c90e9-9cd6-90a6-9726-c02b08ebexxx", response.ResponseId);
        Assert.Equal("428c90e9-9cd6-90a6-9726-c02b08ebexxx", response.ConversationId);
        Assert.Equal("qwen3-max-2026-01-23", response.ModelId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal((37, 243, 280), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));
        var delta = Assert.Single(updates, u => u.Text.Length > 0);
        Assert.Equal("msg_bcb45d66-fc34-46a2-bb56-714a51e8exxx", delta.MessageId);
    }

    [Fact]
    public async Task DocWebSearchExcerptWithoutATerminalEventIsAnError()
    {
        // The docs' code block drops the blank line that ends the last event; it is added back.
        var (updates, error) = await StreamAsync(Fixture.Text("ResponsesApi/doc-web-search-stream.sse") + "\n");

        var ex = Assert.IsType<QwenApiException>(error);
        Assert.Contains("ended before 'response.completed'", ex.Message, StringComparison.Ordinal);

        // What came before the cut was delivered: the reasoning, the search's progress and its sources.
        Assert.StartsWith("The user wants me to:", Assert.IsType<TextReasoningContent>(updates.SelectMany(u => u.Contents).First(c => c is TextReasoningContent)).Text, StringComparison.Ordinal);
        Assert.Contains(updates, u => u.RawRepresentation is JsonElement e && e.GetProperty("type").GetString() == "response.web_search_call.in_progress");
        var result = Assert.Single(updates.SelectMany(u => u.Contents).OfType<WebSearchToolResultContent>());
        Assert.Equal(["https://cn.aliyun.com/", "https://www.aliyun.com/"], result.Outputs!.OfType<UriContent>().Select(u => u.Uri.ToString()));
    }

    [Fact]
    public async Task DocWebSearchAnswerCarriesItsSourcesAsCitations()
    {
        var sse = Fixture.Text("ResponsesApi/doc-web-search-stream.sse") + "\n" + Sse(
            """{"type":"response.output_item.added","sequence_number":20,"output_index":2,"item":{"id":"msg_answer","type":"message","role":"assistant","status":"in_progress","content":[]}}""",
            """{"type":"response.output_text.delta","sequence_number":21,"item_id":"msg_answer","output_index":2,"content_index":0,"delta":"Alibaba Cloud: https://www.aliyun.com/"}""",
            """{"type":"response.output_item.done","sequence_number":22,"output_index":2,"item":{"id":"msg_answer","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":"Alibaba Cloud: https://www.aliyun.com/","annotations":[]}]}}""",
            """{"type":"response.completed","sequence_number":23,"response":{"id":"863df8d9-cb29-4239-a54f-3e15a2427xxx","status":"completed","model":"qwen3-max","output":[],"usage":{"input_tokens":10,"output_tokens":5,"total_tokens":15,"x_tools":{"web_search":{"count":1}}}}}""");

        var (updates, error) = await StreamAsync(sse);

        Assert.Null(error);
        var response = updates.ToChatResponse();
        Assert.Equal("Alibaba Cloud: https://www.aliyun.com/", response.Text);
        var citations = response.Messages.SelectMany(m => m.Contents).Where(c => c is not WebSearchToolResultContent && c.Annotations is not null).SelectMany(c => c.Annotations!).OfType<CitationAnnotation>().ToList();
        Assert.Equal(["https://cn.aliyun.com/", "https://www.aliyun.com/"], citations.Select(c => c.Url!.ToString()));
        Assert.All(citations, c => Assert.Equal("web_search", c.ToolName));
        Assert.Equal(1, response.Usage!.AdditionalCounts!["x_tools.web_search"]);
    }

    [Fact]
    public async Task DocFramingExampleAloneIsACutStream()
    {
        var (_, error) = await StreamAsync(Fixture.Text("ResponsesApi/doc-framing.sse"));
        Assert.Contains("ended before 'response.completed'", Assert.IsType<QwenApiException>(error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CapturedResponseFailedEventIsAQwenApiException()
    {
        // The capture elides the response's other fields as "…,": dropped so the line is JSON; the event's closing blank line added back.
        var sse = Fixture.Text("ResponsesApi/capture-stream-failed.sse").Replace("…,", string.Empty, StringComparison.Ordinal) + "\n";

        var (_, error) = await StreamAsync(sse);

        var ex = Assert.IsType<QwenApiException>(error);
        Assert.Equal("Unsupported model: '__nope__'", ex.ServiceMessage);
        Assert.Equal("InvalidParameter", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
    }

    [Fact]
    public async Task CapturedCompletedEventWithoutOutputOrIdStillEndsTheStream()
    {
        var sse = Sse("""{"type":"response.created","sequence_number":0,"response":{"id":"resp_rust","status":"queued","model":"","output":[]}}""")
            + "event:response.completed\n:HTTP_STATUS/200\ndata:" + Fixture.Text("ResponsesApi/capture-completed-event.json").Trim() + "\n\n";

        var (updates, error) = await StreamAsync(sse);

        Assert.Null(error);
        var response = updates.ToChatResponse();
        Assert.Equal("resp_rust", response.ResponseId);
        Assert.Equal("qwen3-coder-plus", response.ModelId);
        Assert.Equal((57, 3, 60), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task FunctionCallIsBuiltFromOutputItemDone()
    {
        var sse = Sse(
            """{"type":"response.created","sequence_number":0,"response":{"id":"resp_fc","status":"queued","model":"","output":[]}}""",
            """{"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"id":"msg_fc","type":"function_call","status":"in_progress","name":"get_current_weather","arguments":"","call_id":"call_1"}}""",
            """{"type":"response.output_item.done","sequence_number":2,"output_index":0,"item":{"id":"msg_fc","type":"function_call","status":"completed","name":"get_current_weather","arguments":"{\"location\":\"Beijing\"}","call_id":"call_1"}}""",
            """{"type":"response.completed","sequence_number":3,"response":{"id":"resp_fc","status":"completed","model":"qwen3.8-max","output":[]}}""");

        var (updates, error) = await StreamAsync(sse);

        Assert.Null(error);
        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal(("call_1", "get_current_weather", "Beijing"), (call.CallId, call.Name, call.Arguments!["location"]?.ToString()));
        Assert.Equal(ChatFinishReason.ToolCalls, updates.ToChatResponse().FinishReason);
    }

    [Fact]
    public async Task ArgumentDeltasAreUsedWhenTheDoneItemHasNone()
    {
        var sse = Sse(
            """{"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"id":"msg_fc","type":"function_call","name":"f","call_id":"call_2"}}""",
            """{"type":"response.function_call_arguments.delta","sequence_number":2,"item_id":"msg_fc","output_index":0,"delta":"{\"a\":"}""",
            """{"type":"response.function_call_arguments.delta","sequence_number":3,"item_id":"msg_fc","output_index":0,"delta":"1}"}""",
            """{"type":"response.output_item.done","sequence_number":4,"output_index":0,"item":{"id":"msg_fc","type":"function_call","name":"f","call_id":"call_2"}}""",
            """{"type":"response.completed","sequence_number":5,"response":{"id":"resp_fc","status":"completed","output":[]}}""");

        var (updates, error) = await StreamAsync(sse);

        Assert.Null(error);
        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("1", call.Arguments!["a"]?.ToString());
    }

    [Fact]
    public async Task MessageThatArrivesWholeOnDoneIsNotLost()
    {
        var sse = Sse(
            """{"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":""}]}}""",
            """{"type":"response.output_item.done","sequence_number":2,"output_index":0,"item":{"id":"msg_1","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":"whole","annotations":[]}]}}""",
            """{"type":"response.completed","sequence_number":3,"response":{"id":"resp_w","status":"completed","output":[]}}""");

        var (updates, error) = await StreamAsync(sse);

        Assert.Null(error);
        Assert.Equal("whole", updates.ToChatResponse().Text);
    }

    [Fact]
    public async Task ReasoningTextEventsAreAcceptedToo()
    {
        var sse = Sse(
            """{"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"id":"msg_r","type":"reasoning","summary":[]}}""",
            """{"type":"response.reasoning_text.delta","sequence_number":2,"item_id":"msg_r","output_index":0,"content_index":0,"delta":"thinking"}""",
            """{"type":"response.output_item.done","sequence_number":3,"output_index":0,"item":{"id":"msg_r","type":"reasoning","content":[{"type":"reasoning_text","text":"thinking"}]}}""",
            """{"type":"response.completed","sequence_number":4,"response":{"id":"resp_r","status":"completed","output":[]}}""");

        var (updates, error) = await StreamAsync(sse);

        Assert.Null(error);
        Assert.Equal("thinking", Assert.Single(updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>()).Text);
    }

    [Fact]
    public async Task MalformedEventIsAQwenApiException()
    {
        var (_, error) = await StreamAsync("event:response.created\n:HTTP_STATUS/200\ndata:{\"type\":\n\n");
        Assert.Contains("malformed stream event", Assert.IsType<QwenApiException>(error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimitJsonAnswerToAStreamingRequestIsRetried()
    {
        var clock = new RecordingTimeProvider();
        var handler = new FakeHttpHandler(CannedResponse.JsonFixture("ResponsesApi/error-rate-limit-200.json"), CannedResponse.Sse(Stream("streamed")));
        using var client = Create(handler, o =>
        {
            o.MaxRetries = 1;
            o.TimeProvider = clock;
            o.StreamingHeadersTimeout = Timeout.InfiniteTimeSpan;
            o.StreamingIdleTimeout = Timeout.InfiniteTimeSpan;
            o.StreamingResponseTimeout = Timeout.InfiniteTimeSpan;
        });

        var response = await client.GetStreamingResponseAsync(Hi).ToChatResponseAsync();

        Assert.Equal("streamed", response.Text);
        Assert.Equal(2, handler.RequestCount);
    }

    [Fact]
    public async Task EachEnumerationSendsItsOwnRequest()
    {
        var handler = new FakeHttpHandler(CannedResponse.Sse(Stream("one")), CannedResponse.Sse(Stream("two")));
        using var client = Create(handler);
        var stream = client.GetStreamingResponseAsync(Hi);

        Assert.Equal("one", (await stream.ToChatResponseAsync()).Text);
        Assert.Equal("two", (await stream.ToChatResponseAsync()).Text);
        Assert.Equal(handler.Requests[0].BodyText, handler.Requests[1].BodyText);
    }

    [Fact]
    public async Task ConnectionCutMidStreamIsAQwenApiException()
    {
        var bytes = Encoding.UTF8.GetBytes(Stream("a long enough answer"));
        var handler = new FakeHttpHandler(new CannedResponse { Body = bytes, ContentType = "text/event-stream", ResetAfterBytes = bytes.Length / 2 });
        using var client = Create(handler);

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetStreamingResponseAsync(Hi).ToChatResponseAsync());

        Assert.Contains("cut while the reply was streaming", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.RequestCount);
    }
}
