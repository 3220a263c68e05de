using Microsoft.AspNetCore.Http;
using Qwen.Extensions.AI.Emulator.Behaviour;
using Qwen.Extensions.AI.Emulator.Wire;

namespace Qwen.Extensions.AI.Emulator.Responses;

/// <summary>
/// Serves DashScope's Responses API (shared/docs/dashscope-more.md §1) under <c>/compatible-mode/v1/responses</c> and the legacy
/// <c>/api/v2/apps/protocols/compatible-mode/v1/responses</c>: create (JSON or SSE), retrieve, delete, list input items; list → 405;
/// other sub-resources → 404 "Not support". Errors are the flat <c>{request_id, code, message}</c> body; a rate limit (a scripted
/// 429) is an HTTP 200 <c>status:"failed"</c> response; a streamed error is HTTP 200 with one <c>response.failed</c> event.
/// </summary>
internal sealed class ResponsesHandler
{
    public const string ResponsesPath = "/compatible-mode/v1/responses";

    public const string LegacyResponsesPath = "/api/v2/apps/protocols/compatible-mode/v1/responses";

    private static readonly TimeSpan CutGrace = TimeSpan.FromMilliseconds(100);

    private readonly QwenEmulator _emulator;
    private readonly QwenEmulatorOptions _options;
    private readonly ResponseStore _store;

    public ResponsesHandler(QwenEmulator emulator, QwenEmulatorOptions options)
    {
        _emulator = emulator;
        _options = options;
        _store = new ResponseStore(options.TimeProvider);
    }

    /// <summary>The part of <paramref name="path"/> after a Responses root (<c>""</c>, <c>"/{id}"</c>, ...), or <see langword="null"/> for another path.</summary>
    public static string? Match(string path)
    {
        foreach (var root in (ReadOnlySpan<string>)[ResponsesPath, LegacyResponsesPath])
        {
            if (path.StartsWith(root, StringComparison.Ordinal) && (path.Length == root.Length || path[root.Length] == '/'))
            {
                return path[root.Length..].Trim('/');
            }
        }

        return null;
    }

    public async Task HandleAsync(HttpContext context, RecordedRequest recorded, string rest, CancellationToken cancellationToken)
    {
        var method = context.Request.Method;
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            await WriteFlatAsync(context, 401, recorded.RequestId, "InvalidApiKey", "No API-key provided.").ConfigureAwait(false);
            return;
        }

        if (!string.Equals(authorization, "Bearer " + _options.ApiKey, StringComparison.Ordinal))
        {
            await WriteFlatAsync(context, 401, recorded.RequestId, "InvalidApiKey", "Invalid API-key provided.").ConfigureAwait(false);
            return;
        }

        var segments = rest.Length == 0 ? [] : rest.Split('/');
        var route = (segments.Length, method) switch
        {
            (0, "POST") => Route.Create,
            (0, _) => Route.NotAllowed,
            (1, "GET") => Route.Retrieve,
            (1, "DELETE") => Route.Delete,
            (1, _) => Route.NotAllowed,
            (2, "GET") when segments[1] == "input_items" => Route.InputItems,
            (2, _) when segments[1] == "input_items" => Route.NotAllowed,
            _ => Route.NotSupported,
        };
        if (route == Route.NotAllowed)
        {
            // Listing responses is not offered: 405 [capture P-OMU].
            await WriteFlatAsync(context, 405, recorded.RequestId, "Method Not Allowed", "Method Not Allowed").ConfigureAwait(false);
            return;
        }

        if (route == Route.NotSupported)
        {
            await WriteFlatAsync(context, 404, recorded.RequestId, "Not Found", "Not support").ConfigureAwait(false);
            return;
        }

        var reply = _emulator.NextReply(recorded);
        if (!await ChatCompletionsHandler.StartReplyAsync(context, reply, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (reply.Error is { } error && !(route == Route.Create && reply.StatusCode is 200 or 429))
        {
            await WriteFlatAsync(context, reply.StatusCode, recorded.RequestId, error.Code, error.Message).ConfigureAwait(false);
            return;
        }

        if (reply.RawBody is { } raw)
        {
            context.Response.StatusCode = reply.StatusCode;
            context.Response.ContentType = reply.ContentType;
            await ChatCompletionsHandler.WriteBodyAsync(context, raw, reply.CutAfterEvents, reply.DelayBetweenEvents, cancellationToken).ConfigureAwait(false);
            return;
        }

        switch (route)
        {
            case Route.Create:
                await CreateAsync(context, recorded, reply, cancellationToken).ConfigureAwait(false);
                break;
            case Route.Retrieve when _store.Find(segments[0]) is { } found:
                await WriteJsonAsync(context, 200, ResponsesWriter.Response(found, ResponsesWriter.Phase.Retrieved), reply, cancellationToken).ConfigureAwait(false);
                break;
            case Route.Delete when _store.Delete(segments[0]):
                await WriteJsonAsync(context, 200, ResponsesWriter.Deleted(segments[0]), reply, cancellationToken).ConfigureAwait(false);
                break;
            case Route.InputItems when _store.Find(segments[0]) is { } listed:
                await WriteJsonAsync(context, 200, InputItems(listed, context.Request.Query), reply, cancellationToken).ConfigureAwait(false);
                break;
            default:
                // The status is not documented; the message is [doc RC, capture P-OMU].
                await WriteFlatAsync(context, 404, recorded.RequestId, "NotFound", ResponsesCatalog.NotFoundResponse(segments[0])).ConfigureAwait(false);
                break;
        }
    }

    private static byte[] InputItems(ResponseRecord response, IQueryCollection query)
    {
        var items = response.Input;
        var start = 0;
        if (query.TryGetValue("after", out var after) && after.ToString() is { Length: > 0 } afterId)
        {
            start = items.FindIndex(i => i.Id == afterId) + 1;
        }

        var limit = query.TryGetValue("limit", out var l) && int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 100 ? n : 20;
        var page = items.Skip(start).Take(limit).ToList();
        return ResponsesWriter.InputItems(response, page, start + page.Count < items.Count);
    }

    private async Task CreateAsync(HttpContext context, RecordedRequest recorded, EmulatorReply reply, CancellationToken cancellationToken)
    {
        var now = _store.Now;
        var id = ResponsesRequest.NewId("resp_");
        var createdAt = now.ToUnixTimeSeconds();
        var stream = recorded.Json is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;

        if (reply.Error is { } scripted)
        {
            // A rate limit is not an HTTP 429 here: HTTP 200 with status "failed" [doc RZ].
            await WriteFailedAsync(context, stream, id, createdAt, string.Empty, scripted.Code, scripted.Message, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (reply.SseEvents is { } sse)
        {
            await WriteEventsAsync(context, reply, [.. sse.Select((e, i) => ResponsesWriter.Frame(i, EventType(e), Encoding.UTF8.GetBytes(e)))], null, cancellationToken).ConfigureAwait(false);
            return;
        }

        var (request, code, message) = ResponsesRequest.Parse(recorded.Json, _options.AdditionalModels);
        if (message is not null || request is null)
        {
            await WriteInvalidAsync(context, recorded, stream, id, createdAt, request?.Model ?? string.Empty, code ?? "InvalidParameter", message ?? "Invalid request.", cancellationToken).ConfigureAwait(false);
            return;
        }

        ResponseRecord? previous = null;
        if (request.PreviousResponseId is { } previousId)
        {
            // Unknown, expired, deleted and store:false responses alike [capture P-OMU].
            previous = _store.Find(previousId);
            if (previous is null)
            {
                await WriteInvalidAsync(context, recorded, stream, id, createdAt, request.Model, "InvalidParameter", ResponsesCatalog.NotFoundPrevious(previousId), cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        if (reply.UseDefaultBehaviour && ToolFailure(request) is { } failure)
        {
            await WriteFailedAsync(context, stream, id, createdAt, request.Model, "InvalidParameter", failure, cancellationToken).ConfigureAwait(false);
            return;
        }

        var record = new ResponseRecord
        {
            Id = id,
            CreatedAt = createdAt,
            CreatedAtMilliseconds = now.ToUnixTimeMilliseconds(),
            Model = reply.Model ?? request.Model,
            Request = request.Root.Clone(),
            PreviousResponseId = previous?.Id,
            Input = request.Input,
            Store = request.Store,
            StoredAt = now,
        };
        var conversation = new List<ContextItem>(previous?.Context ?? []);
        conversation.AddRange(request.Input);
        if (reply.UseDefaultBehaviour)
        {
            ResponsesResponder.Respond(request, conversation, record);
        }
        else
        {
            Scripted(reply, record);
        }

        record.Context.AddRange(conversation);
        record.Context.AddRange(record.Output.Select(ContextItem.FromOutput));
        record.ContextTokens = record.Context.Sum(Tokens);
        record.Usage = Usage(request, conversation, record, previous, recorded, reply.Usage);
        _store.Add(record);

        if (!request.Stream)
        {
            await WriteJsonAsync(context, 200, ResponsesWriter.Response(record, ResponsesWriter.Phase.Final), reply, cancellationToken).ConfigureAwait(false);
            return;
        }

        await WriteEventsAsync(context, reply, ResponsesWriter.Events(record, _options.WordsPerChunk), record, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tool combinations the service fails in an HTTP 200 body (§1.5) [capture P-MAP].</summary>
    private static string? ToolFailure(ResponsesRequest request)
    {
        if (request.Tools.Any(t => t.Type == "web_extractor") && !request.Tools.Any(t => t.Type == "web_search"))
        {
            return ResponsesCatalog.WebExtractorMessage;
        }

        return request.Tools.Any(t => t.Type == "code_interpreter") && (request.Effort == "none" || request.EnableThinking == false)
            ? ResponsesCatalog.CodeInterpreterNormalModeMessage
            : null;
    }

    private static void Scripted(EmulatorReply reply, ResponseRecord record)
    {
        if (reply.ReasoningContent is { } reasoning)
        {
            record.Output.Add(new OutputItem(OutputKind.Reasoning, ResponsesRequest.NewId("msg_")) { Text = reasoning });
        }

        foreach (var call in reply.ToolCalls)
        {
            record.Output.Add(ResponsesResponder.FunctionCall(call.Name, call.ArgumentsJson) with { CallId = call.Id ?? "call_" + Guid.NewGuid().ToString("N")[..24] });
        }

        if (reply.ToolCalls.Count == 0 || !string.IsNullOrEmpty(reply.Content))
        {
            record.Output.Add(new OutputItem(OutputKind.Message, ResponsesRequest.NewId("msg_")) { Text = reply.Content ?? string.Empty });
        }

        if (reply.FinishReason is "length")
        {
            record.Status = "incomplete";
            record.IncompleteReason = "max_output_tokens";
        }
    }

    private ResponseUsage Usage(ResponsesRequest request, List<ContextItem> conversation, ResponseRecord record, ResponseRecord? previous, RecordedRequest recorded, EmulatorUsage? explicitUsage)
    {
        var input = TokenCounter.Count(request.Instructions) + conversation.Sum(Tokens)
            + (request.Root.TryGetProperty("tools", out var tools) ? TokenCounter.Count(tools.GetRawText()) : 0);
        var reasoning = record.Output.Where(o => o.Kind == OutputKind.Reasoning).Sum(o => TokenCounter.Count(o.Text));
        var output = reasoning + record.Output.Sum(o => o.Kind switch
        {
            OutputKind.Message => TokenCounter.Count(o.Text),
            OutputKind.FunctionCall => TokenCounter.Count(o.Name) + TokenCounter.Count(o.Arguments),
            _ => 0,
        });

        (int Hit, int Creation)? cache = null;
        if (previous is not null && recorded.Headers.TryGetValue("x-dashscope-session-cache", out var header)
            && string.Equals(header.Trim(), "enable", StringComparison.OrdinalIgnoreCase)
            && ResponsesCatalog.SessionCacheModels.Contains(request.Model, StringComparer.Ordinal))
        {
            cache = _store.UseSessionCache(previous);
        }

        var toolCounts = record.Output.Where(o => o.ToolName is not null).GroupBy(o => o.ToolName!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var usage = new ResponseUsage(explicitUsage?.PromptTokens ?? input, explicitUsage?.CompletionTokens ?? output, explicitUsage?.CachedTokens ?? cache?.Hit ?? 0, explicitUsage?.ReasoningTokens ?? reasoning)
        {
            CacheCreation = cache?.Creation,
            Tools = toolCounts,
        };
        return usage;
    }

    private static int Tokens(ContextItem item) => TokenCounter.TokensPerMessage + TokenCounter.Count(item.Text) + TokenCounter.Count(item.Arguments) + (TokenCounter.TokensPerMedia * item.Images.Count);

    private static string EventType(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object && ToolSpec.Str(document.RootElement, "type") is { } type ? type : "message";
        }
        catch (JsonException)
        {
            return "message";
        }
    }

    /// <summary>A validation error: the flat 400 body, or for a stream HTTP 200 with one <c>response.failed</c> event [capture P-OMU].</summary>
    private static async Task WriteInvalidAsync(HttpContext context, RecordedRequest recorded, bool stream, string id, long createdAt, string model, string code, string message, CancellationToken cancellationToken)
    {
        if (stream)
        {
            await WriteFailedAsync(context, stream: true, id, createdAt, model, code, message, cancellationToken).ConfigureAwait(false);
            return;
        }

        await WriteFlatAsync(context, 400, recorded.RequestId, code, message).ConfigureAwait(false);
    }

    private static async Task WriteFailedAsync(HttpContext context, bool stream, string id, long createdAt, string model, string code, string message, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = 200;
        if (!stream)
        {
            var body = ResponsesWriter.Failed(id, createdAt, model, code, message);
            response.ContentType = "application/json";
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            return;
        }

        response.ContentType = "text/event-stream;charset=UTF-8";
        response.Headers.CacheControl = "no-cache";
        await response.Body.WriteAsync(ResponsesWriter.FailedEvent(0, id, createdAt, model, code, message), cancellationToken).ConfigureAwait(false);
        await response.CompleteAsync().ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, byte[] body, EmulatorReply reply, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await ChatCompletionsHandler.WriteBodyAsync(context, body, reply.CutAfterEvents, reply.DelayBetweenEvents, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteFlatAsync(HttpContext context, int status, string requestId, string code, string message)
    {
        var body = ResponsesWriter.FlatError(requestId, code, message);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes the framed events with the reply's faults: a pause between events, a cut, a malformed event, a <c>response.failed</c>.</summary>
    private async Task WriteEventsAsync(HttpContext context, EmulatorReply reply, List<byte[]> events, ResponseRecord? record, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream;charset=UTF-8";
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
        var delay = reply.DelayBetweenEvents ?? _options.DelayBetweenEvents;
        for (var i = 0; i <= events.Count; i++)
        {
            if (reply.CutAfterEvents == i)
            {
                await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(CutGrace, cancellationToken).ConfigureAwait(false);
                context.Abort();
                return;
            }

            if (reply.MalformedEventAfter == i)
            {
                await WriteAsync(response, ResponsesWriter.Frame(i, "response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"delta\":"u8.ToArray()), cancellationToken).ConfigureAwait(false);
            }

            if (reply.ErrorEventAfter == i)
            {
                var error = reply.ErrorEvent ?? new EmulatorError("InternalError", "An internal error has occured, please try again later or contact service support.", "InternalError");
                await WriteAsync(response, ResponsesWriter.FailedEvent(i, record?.Id ?? ResponsesRequest.NewId("resp_"), record?.CreatedAt ?? _store.Now.ToUnixTimeSeconds(), record?.Model ?? string.Empty, error.Code, error.Message), cancellationToken).ConfigureAwait(false);
                await response.CompleteAsync().ConfigureAwait(false);
                return;
            }

            if (i == events.Count)
            {
                await response.CompleteAsync().ConfigureAwait(false);
                break;
            }

            if (i > 0 && delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }

            await WriteAsync(response, events[i], cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteAsync(HttpResponse response, byte[] frame, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private enum Route
    {
        Create,
        Retrieve,
        Delete,
        InputItems,
        NotAllowed,
        NotSupported,
    }
}
