using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Qwen.Extensions.AI.SemanticKernel.Tests.Infrastructure;

/// <summary>A scripted reply: text (with optional reasoning) or tool calls.</summary>
public sealed record Reply(string? Content = null, string? Reasoning = null, IReadOnlyList<(string Id, string Name, string Arguments)>? ToolCalls = null)
{
    public static Reply Text(string content, string? reasoning = null) => new(content, reasoning);

    public static Reply Call(string name, string argumentsJson, string id = "call_1") => new(ToolCalls: [(id, name, argumentsJson)]);
}

/// <summary>
/// A loopback compatible-mode server over real sockets: records every request body and answers with scripted replies,
/// as JSON or as SSE chunks depending on the request's "stream" flag. Unscripted requests get the text "ok".
/// </summary>
public sealed class FakeQwenServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Reply> _replies = new();
    private readonly List<JsonElement> _requests = [];
    private readonly List<string?> _authorizations = [];
    private readonly Task _loop;

    private FakeQwenServer(int port)
    {
        Endpoint = new Uri($"http://127.0.0.1:{port}/compatible-mode/v1");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri Endpoint { get; }

    public string ApiKey => "sk-test-emulator";

    public IReadOnlyList<JsonElement> Requests { get { lock (_requests) { return [.. _requests]; } } }

    public IReadOnlyList<string?> Authorizations { get { lock (_requests) { return [.. _authorizations]; } } }

    public static FakeQwenServer Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            try
            {
                return new FakeQwenServer(port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }
    }

    public void Enqueue(params Reply[] replies)
    {
        foreach (var r in replies)
        {
            _replies.Enqueue(r);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await Task.WhenAny(_loop, Task.Delay(2000));
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var text = await reader.ReadToEndAsync();
            var body = JsonDocument.Parse(text).RootElement.Clone();
            lock (_requests)
            {
                _requests.Add(body);
                _authorizations.Add(context.Request.Headers["Authorization"]);
            }

            var model = body.TryGetProperty("model", out var m) ? m.GetString() : "qwen-test";
            var stream = body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
            var reply = _replies.TryDequeue(out var r) ? r : Reply.Text("ok");
            context.Response.StatusCode = 200;
            context.Response.Headers["x-request-id"] = "req-" + Guid.NewGuid().ToString("N");
            var output = stream ? Sse(reply, model) : Json(reply, model);
            context.Response.ContentType = stream ? "text/event-stream" : "application/json";
            var bytes = Encoding.UTF8.GetBytes(output);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception ex)
        {
            try
            {
                context.Response.StatusCode = 500;
                var bytes = Encoding.UTF8.GetBytes($"{{\"error\":{{\"message\":{JsonSerializer.Serialize(ex.Message)},\"type\":\"test\",\"code\":\"fake_server\"}}}}");
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
            catch (Exception)
            {
                // The client went away.
            }
        }
    }

    private static JsonArray? ToolCalls(Reply reply, bool withIndex) =>
        reply.ToolCalls is { Count: > 0 } calls
            ? new JsonArray([.. calls.Select((c, i) =>
            {
                var o = new JsonObject();
                if (withIndex)
                {
                    o["index"] = i;
                }

                o["id"] = c.Id;
                o["type"] = "function";
                o["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments };
                return (JsonNode)o;
            })])
            : null;

    private static string Finish(Reply reply) => reply.ToolCalls is { Count: > 0 } ? "tool_calls" : "stop";

    private static JsonObject Usage() => new() { ["prompt_tokens"] = 10, ["completion_tokens"] = 5, ["total_tokens"] = 15 };

    private static string Json(Reply reply, string? model)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content ?? string.Empty };
        if (reply.Reasoning is not null)
        {
            message["reasoning_content"] = reply.Reasoning;
        }

        if (ToolCalls(reply, withIndex: false) is { } calls)
        {
            message["tool_calls"] = calls;
        }

        return new JsonObject
        {
            ["id"] = "chatcmpl-1",
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = Finish(reply) }),
            ["usage"] = Usage(),
        }.ToJsonString();
    }

    private static string Sse(Reply reply, string? model)
    {
        var sb = new StringBuilder();
        void Chunk(JsonObject delta, string? finish, bool usage = false)
        {
            var chunk = new JsonObject
            {
                ["id"] = "chatcmpl-1",
                ["object"] = "chat.completion.chunk",
                ["created"] = 1_700_000_000,
                ["model"] = model,
                ["choices"] = usage ? new JsonArray() : new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
            };
            if (usage)
            {
                chunk["usage"] = Usage();
            }

            sb.Append("data: ").Append(chunk.ToJsonString()).Append("\n\n");
        }

        Chunk(new JsonObject { ["role"] = "assistant", ["content"] = string.Empty }, null);
        if (reply.Reasoning is { } reasoning)
        {
            // Two pieces, so aggregation across updates is exercised.
            var half = reasoning.Length / 2;
            Chunk(new JsonObject { ["reasoning_content"] = reasoning[..half] }, null);
            Chunk(new JsonObject { ["reasoning_content"] = reasoning[half..] }, null);
        }

        if (reply.Content is { Length: > 0 } content)
        {
            Chunk(new JsonObject { ["content"] = content }, null);
        }

        if (ToolCalls(reply, withIndex: true) is { } calls)
        {
            Chunk(new JsonObject { ["tool_calls"] = calls }, null);
        }

        Chunk(new JsonObject(), Finish(reply));
        Chunk(new JsonObject(), null, usage: true);
        sb.Append("data: [DONE]\n\n");
        return sb.ToString();
    }
}
