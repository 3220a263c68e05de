using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Qwen.Extensions.AI.Tests.Responses;

/// <summary>Builds <see cref="QwenResponsesChatClient"/> over a <see cref="FakeHttpHandler"/>, and Responses API answers in the service's framing.</summary>
internal static class ResponsesTestClient
{
    public const string Model = "qwen3.8-max";

    public static QwenResponsesChatClient Create(FakeHttpHandler handler, Action<QwenClientOptions>? configure = null)
    {
        var options = new QwenClientOptions { ApiKey = TestClient.ApiKey, DefaultModelId = Model, MaxRetries = 0 };
        configure?.Invoke(options);
        return new QwenResponsesChatClient(options, new HttpClient(handler));
    }

    /// <summary>A completed response with one message item.</summary>
    public static string Response(string text = "ok", string id = "resp_1", string status = "completed", string extra = "") =>
        $$$"""{"id":"{{{id}}}","object":"response","created_at":1787041707,"model":"{{{Model}}}","status":"{{{status}}}","error":null,{{{extra}}}"output":[{"id":"msg_1","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":{{{JsonSerializer.Serialize(text)}}},"annotations":[],"logprobs":null}]}],"usage":{"input_tokens":5,"input_tokens_details":{"cached_tokens":0},"output_tokens":1,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":6}}""";

    /// <summary>A completed response whose only output is a function call.</summary>
    public static string FunctionCallResponse(string id, string callId, string name, string arguments) =>
        $$$"""{"id":"{{{id}}}","object":"response","created_at":1787041707,"model":"{{{Model}}}","status":"completed","output":[{"id":"msg_fc","type":"function_call","status":"completed","name":"{{{name}}}","arguments":{{{JsonSerializer.Serialize(arguments)}}},"call_id":"{{{callId}}}"}],"usage":{"input_tokens":5,"output_tokens":1,"total_tokens":6}}""";

    /// <summary>Events in DashScope's framing: <c>id:</c>, <c>event:</c> without a space, the <c>:HTTP_STATUS/200</c> comment, <c>data:</c>; no <c>[DONE]</c>.</summary>
    public static string Sse(params string[] events)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < events.Length; i++)
        {
            using var doc = JsonDocument.Parse(events[i]);
            var type = doc.RootElement.GetProperty("type").GetString();
            sb.Append("id:").Append(i + 1).Append('\n')
              .Append("event:").Append(type).Append('\n')
              .Append(":HTTP_STATUS/200\n")
              .Append("data:").Append(events[i]).Append("\n\n");
        }

        return sb.ToString();
    }

    /// <summary>The stream of <see cref="Response"/>: created, message added, one delta, message done, completed.</summary>
    public static string Stream(string text = "ok", string id = "resp_1") => Sse(
        $$$"""{"type":"response.created","sequence_number":0,"response":{"id":"{{{id}}}","created_at":1787041707,"object":"response","status":"queued","model":"","output":[]}}""",
        """{"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"id":"msg_1","type":"message","role":"assistant","status":"in_progress","content":[]}}""",
        $$$"""{"type":"response.output_text.delta","sequence_number":2,"item_id":"msg_1","output_index":0,"content_index":0,"delta":{{{JsonSerializer.Serialize(text)}}},"logprobs":[]}""",
        $$$"""{"type":"response.output_item.done","sequence_number":3,"output_index":0,"item":{"id":"msg_1","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":{{{JsonSerializer.Serialize(text)}}},"annotations":[]}]}}""",
        $$$"""{"type":"response.completed","sequence_number":4,"response":{{{Response(text, id)}}}}""");

    /// <summary>The terminal event for <paramref name="response"/>.</summary>
    public static string Completed(string response, int sequence = 99) => $$$"""{"type":"response.completed","sequence_number":{{{sequence}}},"response":{{{response}}}}""";

    /// <summary>Sends once on the chosen path and returns the request the client sent.</summary>
    public static async Task<RecordedRequest> CaptureAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming)
    {
        var handler = new FakeHttpHandler(streaming ? CannedResponse.Sse(Stream()) : CannedResponse.Json(Response()));
        using var client = Create(handler);
        await TestClient.GetAsync(client, messages, options, streaming);
        return handler.SingleRequest;
    }

    /// <summary>Asserts the body on the chosen path equals <paramref name="golden"/>; streaming expects <c>"stream":true</c> too.</summary>
    public static async Task AssertBodyAsync(string golden, IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming)
    {
        var request = await CaptureAsync(messages, options, streaming);
        var expected = System.Text.Json.Nodes.JsonNode.Parse(golden)!.AsObject();
        if (streaming)
        {
            expected["stream"] = true;
        }

        JsonAssert.Equal(expected.ToJsonString(), request.Json);
    }
}

/// <summary>Turns a whole response object into the stream that would carry it: created, each output item added and done, completed.</summary>
internal static class ResponsesStreams
{
    public static string Of(string responseJson, string terminal = "response.completed")
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(responseJson)!.AsObject();
        var events = new List<string>();
        var created = new System.Text.Json.Nodes.JsonObject { ["id"] = root["id"]?.DeepClone(), ["created_at"] = root["created_at"]?.DeepClone(), ["object"] = "response", ["status"] = "queued", ["model"] = "", ["output"] = new System.Text.Json.Nodes.JsonArray() };
        events.Add(new System.Text.Json.Nodes.JsonObject { ["type"] = "response.created", ["sequence_number"] = 0, ["response"] = created }.ToJsonString());
        var index = 0;
        foreach (var item in root["output"]?.AsArray() ?? [])
        {
            var skeleton = item!.DeepClone().AsObject();
            skeleton["status"] = "in_progress";
            if (skeleton["type"]?.GetValue<string>() == "message")
            {
                skeleton["content"] = new System.Text.Json.Nodes.JsonArray();
            }

            events.Add(new System.Text.Json.Nodes.JsonObject { ["type"] = "response.output_item.added", ["output_index"] = index, ["item"] = skeleton }.ToJsonString());
            events.Add(new System.Text.Json.Nodes.JsonObject { ["type"] = "response.output_item.done", ["output_index"] = index, ["item"] = item.DeepClone() }.ToJsonString());
            index++;
        }

        events.Add(new System.Text.Json.Nodes.JsonObject { ["type"] = terminal, ["response"] = root.DeepClone() }.ToJsonString());
        return ResponsesTestClient.Sse([.. events]);
    }

    /// <summary>Answers <paramref name="responseJson"/> on the chosen path.</summary>
    public static CannedResponse Answer(string responseJson, bool streaming) =>
        streaming ? CannedResponse.Sse(Of(responseJson)) : CannedResponse.Json(responseJson);
}
