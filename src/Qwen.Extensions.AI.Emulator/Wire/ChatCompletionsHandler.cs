using Microsoft.AspNetCore.Http;
using Qwen.Extensions.AI.Emulator.Behaviour;

namespace Qwen.Extensions.AI.Emulator.Wire;

/// <summary>
/// Serves <c>POST /compatible-mode/v1/chat/completions</c>: records, authenticates, picks a reply, writes it with its faults; hands
/// <c>POST /compatible-mode/v1/embeddings</c> to <see cref="EmbeddingsHandler"/> after the same recording and authentication.
/// </summary>
internal sealed class ChatCompletionsHandler
{
    public const string ChatCompletionsPath = "/compatible-mode/v1/chat/completions";

    private static readonly TimeSpan CutGrace = TimeSpan.FromMilliseconds(100);

    private const long MaxBodyBytes = 128L * 1024 * 1024;

    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "[DONE]"u8.ToArray();
    private static readonly byte[] Malformed = "{\"choices\":[{\"delta\":"u8.ToArray();

    private readonly QwenEmulator _emulator;
    private readonly QwenEmulatorOptions _options;
    private readonly PrefixCache _cache = new();
    private readonly EmbeddingsHandler _embeddings;
    private readonly Responses.ResponsesHandler _responses;

    private readonly CancellationToken _stopping;

    public ChatCompletionsHandler(QwenEmulator emulator, QwenEmulatorOptions options, CancellationToken stopping)
    {
        _emulator = emulator;
        _options = options;
        _stopping = stopping;
        _embeddings = new EmbeddingsHandler(options);
        _responses = new Responses.ResponsesHandler(emulator, options);
    }

    public async Task HandleAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();

        // Delays and streams end when the client goes away or the emulator is disposed, whichever comes first.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping);
        var cancellationToken = linked.Token;
        var body = await ReadBodyAsync(context.Request, cancellationToken).ConfigureAwait(false);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? string.Empty, headers, body, requestId);
        _emulator.Record(recorded);
        context.Response.Headers["x-request-id"] = requestId;
        try
        {
            var path = recorded.Path.TrimEnd('/');
            if (Responses.ResponsesHandler.Match(path) is { } responsesRest)
            {
                // The Responses API has its own auth and error bodies (Responses/ResponsesHandler.cs).
                await _responses.HandleAsync(context, recorded, responsesRest, cancellationToken).ConfigureAwait(false);
                return;
            }

            var embeddings = string.Equals(path, EmbeddingsHandler.EmbeddingsPath, StringComparison.Ordinal);
            if (!HttpMethods.IsPost(context.Request.Method) || (!embeddings && !string.Equals(path, ChatCompletionsPath, StringComparison.Ordinal)))
            {
                await WriteErrorAsync(context, 404, new EmulatorError("NotFound", $"The emulator serves only POST {ChatCompletionsPath} and POST {EmbeddingsHandler.EmbeddingsPath}; got {recorded.Method} {recorded.Path}."), requestId).ConfigureAwait(false);
                return;
            }

            if (!string.Equals(context.Request.Headers.Authorization.ToString(), "Bearer " + _options.ApiKey, StringComparison.Ordinal))
            {
                await WriteErrorAsync(context, 401, new EmulatorError("invalid_api_key", "Incorrect API key provided. "), requestId).ConfigureAwait(false);
                return;
            }

            var reply = _emulator.NextReply(recorded);
            if (embeddings)
            {
                await _embeddings.ExecuteAsync(context, recorded, reply, cancellationToken).ConfigureAwait(false);
                return;
            }

            await ExecuteAsync(context, recorded, reply, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away or the emulator is stopping; nothing more to answer.
            context.Abort();
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            // A failure of the emulator itself (or of a Responder) is reported, not swallowed into an empty 500.
            await WriteErrorAsync(context, 500, new EmulatorError("internal_error", "The Qwen emulator failed: " + ex.Message, "internal_error"), requestId).ConfigureAwait(false);
        }
        finally
        {
            recorded.StatusCode = context.Response.StatusCode;
        }
    }

    /// <summary>
    /// What every scripted reply does before its body, on any endpoint: the delay before headers, a cut before any byte, the
    /// scripted headers and <c>Retry-After</c>. False when the connection was cut.
    /// </summary>
    internal static async Task<bool> StartReplyAsync(HttpContext context, EmulatorReply reply, CancellationToken cancellationToken)
    {
        if (reply.DelayBeforeHeaders > TimeSpan.Zero)
        {
            await Task.Delay(reply.DelayBeforeHeaders, cancellationToken).ConfigureAwait(false);
        }

        if (reply.CutAfterEvents == 0)
        {
            context.Abort();
            return false;
        }

        var response = context.Response;
        if (reply.Headers is not null)
        {
            foreach (var (name, value) in reply.Headers)
            {
                response.Headers[name] = value;
            }
        }

        if (reply.RetryAfter is { } retryAfter)
        {
            // Retry-After carries whole seconds (RFC 9110); a sub-second wait also goes out as retry-after-ms, which clients
            // (ours and OpenAI's) prefer, so RetryAfter = 200 ms means 200 ms rather than a rounded-up second.
            response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (reply.RetryAfterMilliseconds is null && retryAfter.Ticks % TimeSpan.TicksPerSecond != 0)
            {
                response.Headers["retry-after-ms"] = ((long)Math.Ceiling(retryAfter.TotalMilliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        if (reply.RetryAfterMilliseconds is { } retryAfterMs)
        {
            response.Headers["retry-after-ms"] = retryAfterMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return true;
    }

    private async Task ExecuteAsync(HttpContext context, RecordedRequest recorded, EmulatorReply reply, CancellationToken cancellationToken)
    {
        if (!await StartReplyAsync(context, reply, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var response = context.Response;
        if (reply.Error is { } error)
        {
            await WriteErrorAsync(context, reply.StatusCode, error, recorded.RequestId).ConfigureAwait(false);
            return;
        }

        if (reply.RawBody is { } raw)
        {
            response.StatusCode = reply.StatusCode;
            response.ContentType = reply.ContentType;
            await WriteBodyAsync(context, raw, reply.CutAfterEvents, reply.DelayBetweenEvents, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (reply.SseEvents is { } sse)
        {
            response.StatusCode = reply.StatusCode;
            await WriteEventsAsync(context, recorded, reply, [.. sse.Select(Encoding.UTF8.GetBytes)], appendDone: false, cancellationToken).ConfigureAwait(false);
            return;
        }

        RequestFacts? facts = recorded.Json is { ValueKind: System.Text.Json.JsonValueKind.Object } root ? RequestFacts.From(root) : null;
        ReplyPlan plan;
        if (reply.UseDefaultBehaviour)
        {
            if (RequestValidator.Validate(recorded.Json, _options.AdditionalModels) is { } invalid)
            {
                await WriteErrorAsync(context, invalid.Status, invalid.Error, recorded.RequestId).ConfigureAwait(false);
                return;
            }

            plan = DefaultResponder.Respond(facts!);
        }
        else
        {
            plan = new ReplyPlan(reply.Content, reply.ReasoningContent, reply.ToolCalls, reply.FinishReason ?? (reply.ToolCalls.Count > 0 ? "tool_calls" : "stop"));
        }

        plan = plan with { ToolCalls = [.. plan.ToolCalls.Select((c, i) => c.Id is null ? c with { Id = "call_" + recorded.RequestId.Replace("-", string.Empty, StringComparison.Ordinal)[..20] + i.ToString(System.Globalization.CultureInfo.InvariantCulture) } : c)] };
        var model = reply.Model ?? (string.IsNullOrEmpty(facts?.Model) ? _options.DefaultModelId : facts.Model);
        var id = "chatcmpl-" + recorded.RequestId;
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var choices = reply.UseDefaultBehaviour ? Math.Max(1, facts?.N ?? 1) : 1;
        var usage = ComputeUsage(facts, plan, reply.Usage, choices);
        response.StatusCode = reply.StatusCode;
        if (facts?.Stream != true)
        {
            response.ContentType = "application/json";
            await WriteBodyAsync(context, CompletionWriter.Completion(plan, model, id, created, usage, choices), reply.CutAfterEvents, reply.DelayBetweenEvents, cancellationToken).ConfigureAwait(false);
            return;
        }

        var events = CompletionWriter.Chunks(plan, model, id, created, _options.WordsPerChunk);
        for (var choice = 1; choice < choices; choice++)
        {
            events.AddRange(CompletionWriter.Chunks(plan, model, id, created, _options.WordsPerChunk, choice));
        }

        if (facts.IncludeUsage)
        {
            events.Add(CompletionWriter.UsageChunk(model, id, created, usage));
        }

        await WriteEventsAsync(context, recorded, reply, events, appendDone: true, cancellationToken).ConfigureAwait(false);
    }

    private UsageNumbers ComputeUsage(RequestFacts? facts, ReplyPlan plan, EmulatorUsage? explicitUsage, int choices)
    {
        var prompt = 0;
        var cached = 0;
        if (facts is not null)
        {
            prompt = facts.Messages.Sum(TokenCounter.Count);
            if (facts.Root.TryGetProperty("tools", out var tools))
            {
                prompt += TokenCounter.Count(tools.GetRawText());
            }

            cached = Math.Min(prompt, _cache.Observe(facts.Messages));
        }

        var reasoning = TokenCounter.Count(plan.Reasoning);
        var completion = choices * (TokenCounter.Count(plan.Content) + reasoning + plan.ToolCalls.Sum(c => TokenCounter.Count(c.Name) + TokenCounter.Count(c.ArgumentsJson)));
        var p = explicitUsage?.PromptTokens ?? prompt;
        var c = explicitUsage?.CompletionTokens ?? completion;
        return new UsageNumbers(p, c, explicitUsage?.TotalTokens ?? (p + c), explicitUsage?.CachedTokens ?? cached, explicitUsage?.ReasoningTokens ?? reasoning);
    }

    private async Task WriteEventsAsync(HttpContext context, RecordedRequest recorded, EmulatorReply reply, List<byte[]> events, bool appendDone, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream;charset=UTF-8";
        response.Headers.CacheControl = "no-cache";
        if (appendDone)
        {
            events.Add(Done);
        }

        await response.StartAsync(cancellationToken).ConfigureAwait(false);
        var delay = reply.DelayBetweenEvents ?? _options.DelayBetweenEvents;
        for (var i = 0; i <= events.Count; i++)
        {
            if (reply.CutAfterEvents == i)
            {
                // Let the events already written reach the client before the reset, so "after N events" is deterministic.
                await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(CutGrace, cancellationToken).ConfigureAwait(false);
                context.Abort();
                return;
            }

            if (reply.MalformedEventAfter == i)
            {
                await WriteEventAsync(response, Malformed, cancellationToken).ConfigureAwait(false);
            }

            if (reply.ErrorEventAfter == i)
            {
                var error = reply.ErrorEvent ?? new EmulatorError("internal_error", "An internal error has occured, please try again later or contact service support.", "internal_error");
                await WriteEventAsync(response, CompletionWriter.ErrorBody(error, recorded.RequestId), cancellationToken).ConfigureAwait(false);
                await response.CompleteAsync().ConfigureAwait(false);
                return;
            }

            if (i == events.Count)
            {
                // End the chunked body with the last event, so the client's connection goes back to its pool at once.
                await response.CompleteAsync().ConfigureAwait(false);
                break;
            }

            if (i > 0 && delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }

            await WriteEventAsync(response, events[i], cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteEventAsync(HttpResponse response, byte[] payload, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(DataPrefix, cancellationToken).ConfigureAwait(false);
        await response.Body.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
        await response.Body.WriteAsync(EventEnd, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static async Task WriteBodyAsync(HttpContext context, ReadOnlyMemory<byte> body, int? cutAfter, TimeSpan? delayBeforeCut, CancellationToken cancellationToken)
    {
        if (cutAfter is > 0)
        {
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body[..(body.Length / 2)], cancellationToken).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            // Lets the client read the headers and the first half before the reset (which discards unread bytes).
            await Task.Delay(delayBeforeCut is { } delay && delay > TimeSpan.Zero ? delay : CutGrace, cancellationToken).ConfigureAwait(false);
            context.Abort();
            return;
        }

        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task WriteErrorAsync(HttpContext context, int status, EmulatorError error, string requestId)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var bytes = CompletionWriter.ErrorBody(error, requestId);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new InvalidOperationException("The request body exceeds the emulator's limit.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
