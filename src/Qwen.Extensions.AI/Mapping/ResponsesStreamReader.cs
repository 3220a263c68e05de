using System.Net.ServerSentEvents;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// A Responses API event stream → <see cref="ChatResponseUpdate"/>s (dashscope-more.md 1.9): <c>event:</c> lines without a space and
/// <c>:HTTP_STATUS/200</c> comment lines are plain SSE (the BCL parser reads them); there is no <c>[DONE]</c>, the stream ends at
/// <c>response.completed</c>, <c>response.incomplete</c> or <c>response.failed</c>, and one that ends before is an error. Text and
/// reasoning deltas become updates as they arrive; function calls are built from <c>output_item.added/done</c> (argument deltas are
/// used when present, never needed); built-in tool items map on <c>output_item.done</c> as on the JSON path; tool progress events
/// become empty updates that carry the event.
/// </summary>
internal sealed class ResponsesStreamReader
{
    private readonly bool _includeReasoning;
    private readonly bool _store;
    private readonly List<CitationAnnotation> _citations = [];
    private readonly Dictionary<string, StringBuilder> _arguments = new(StringComparer.Ordinal);
    private readonly HashSet<string> _itemsWithDeltas = new(StringComparer.Ordinal);
    private string? _responseId;
    private string? _conversationId;
    private string? _modelId;
    private DateTimeOffset? _createdAt;
    private string? _messageId;
    private bool _anyFunctionCalls;

    public ResponsesStreamReader(bool includeReasoning, bool store)
    {
        _includeReasoning = includeReasoning;
        _store = store;
    }

    /// <summary>Gets a value indicating whether a terminal event arrived.</summary>
    public bool IsDone { get; private set; }

    public static async IAsyncEnumerable<ChatResponseUpdate> ReadAsync(
        Func<CancellationToken, Task<ResponseEventStream>> send, bool includeReasoning, bool store, IDisposable? body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = new ResponsesStreamReader(includeReasoning, store);
        ResponseEventStream? answer = null;
        IAsyncEnumerator<SseItem<JsonElement>>? events = null;
        try
        {
            answer = await send(cancellationToken).ConfigureAwait(false);
            events = SseParser.Create(answer, static (_, data) => Parse(data)).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            var updates = new List<ChatResponseUpdate>();
            while (!reader.IsDone)
            {
                bool moved;
                try
                {
                    moved = await events.MoveNextAsync().ConfigureAwait(false);
                    if (moved)
                    {
                        updates.Clear();
                        reader.Handle(events.Current.Data, updates, answer.StatusCode, answer.RequestId, answer.ApiKey);
                    }
                }
                catch (Exception ex) when (QwenErrors.IsMalformedPayload(ex))
                {
                    throw QwenErrors.Malformed("stream event", ex, answer.StatusCode, answer.RequestId, answer.ApiKey);
                }

                if (!moved)
                {
                    throw QwenErrors.ResponsesStreamEndedEarly(answer.StatusCode, answer.RequestId);
                }

                foreach (var update in updates)
                {
                    yield return update;
                }
            }

            // After the terminal event, read the rest of the body so the connection goes back to the pool.
            await answer.DrainAsync().ConfigureAwait(false);
        }
        finally
        {
            if (events is not null)
            {
                await events.DisposeAsync().ConfigureAwait(false);
            }

            answer?.Dispose();
            body?.Dispose();
        }
    }

    /// <summary>Maps one event into <paramref name="updates"/>; throws for <c>response.failed</c> and <c>error</c>.</summary>
    public void Handle(JsonElement data, List<ChatResponseUpdate> updates, HttpStatusCode status, string? requestId, string? apiKey)
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A Responses API event is not a JSON object.");
        }

        var type = ResponsesOutputMapper.GetString(data, ResponsesFields.Type);
        switch (type)
        {
            case ResponsesFields.Events.Created or ResponsesFields.Events.InProgress or ResponsesFields.Events.Queued:
                Capture(data);
                break;

            case ResponsesFields.Events.Completed or ResponsesFields.Events.Incomplete:
                {
                    var response = Capture(data);
                    IsDone = true;
                    if (ResponsesOutputMapper.Failure(response, status, requestId ?? _responseId, apiKey) is { } failure)
                    {
                        throw failure;
                    }

                    var update = NewUpdate(data);
                    if (ResponsesOutputMapper.ToUsage(response) is { } usage)
                    {
                        update.Contents.Add(new UsageContent(usage));
                    }

                    var state = ResponsesOutputMapper.GetString(response, ResponsesFields.Status) ?? (type == ResponsesFields.Events.Incomplete ? ResponsesFields.Statuses.Incomplete : null);
                    update.FinishReason = ResponsesOutputMapper.FinishReason(state, response, _anyFunctionCalls);
                    updates.Add(update);
                    break;
                }

            case ResponsesFields.Events.Failed:
                {
                    var response = Capture(data);
                    IsDone = true;
                    throw ResponsesOutputMapper.Failure(response, status, requestId ?? _responseId, apiKey)
                        ?? QwenErrors.ResponseFailed(null, null, ResponsesFields.Statuses.Failed, status, requestId ?? _responseId, apiKey);
                }

            case ResponsesFields.Events.Error:
                IsDone = true;
                throw QwenErrors.ResponseFailed(
                    ResponsesOutputMapper.GetString(data, ResponsesFields.Code), ResponsesOutputMapper.GetString(data, ResponsesFields.Message), ResponsesFields.Statuses.Failed, status, requestId, apiKey);

            case ResponsesFields.Events.OutputItemAdded:
                OnItemAdded(data, updates);
                break;

            case ResponsesFields.Events.OutputItemDone:
                OnItemDone(data, updates);
                break;

            case ResponsesFields.Events.OutputTextDelta:
                if (ResponsesOutputMapper.GetString(data, ResponsesFields.Delta) is { Length: > 0 } text)
                {
                    MarkDelta(data);
                    var update = NewUpdate(data);
                    var content = new TextContent(text);
                    ResponsesOutputMapper.AttachCitations(content, _citations);
                    update.Contents.Add(content);
                    updates.Add(update);
                }

                break;

            case ResponsesFields.Events.ReasoningSummaryTextDelta or ResponsesFields.Events.ReasoningTextDelta:
                if (ResponsesOutputMapper.GetString(data, ResponsesFields.Delta) is { Length: > 0 } reasoning)
                {
                    MarkDelta(data);
                    if (_includeReasoning)
                    {
                        var update = NewUpdate(data);
                        update.Contents.Add(new TextReasoningContent(reasoning));
                        updates.Add(update);
                    }
                }

                break;

            case ResponsesFields.Events.FunctionCallArgumentsDelta:
                if (ResponsesOutputMapper.GetString(data, ResponsesFields.ItemId) is { } deltaItem && ResponsesOutputMapper.GetString(data, ResponsesFields.Delta) is { } delta)
                {
                    (_arguments.TryGetValue(deltaItem, out var sb) ? sb : _arguments[deltaItem] = new StringBuilder()).Append(delta);
                }

                break;

            case ResponsesFields.Events.FunctionCallArgumentsDone:
                if (ResponsesOutputMapper.GetString(data, ResponsesFields.ItemId) is { } doneItem && ResponsesOutputMapper.GetString(data, ResponsesFields.Arguments) is { } arguments)
                {
                    _arguments[doneItem] = new StringBuilder(arguments);
                }

                break;

            default:
                // Tool progress (web_search_call.searching, code_interpreter_call.interpreting, mcp_call_arguments.delta, ...): an update
                // with no content that carries the event, so callers can show progress. Text part bookkeeping events are skipped.
                if (type is not null && IsToolProgress(type))
                {
                    updates.Add(NewUpdate(data));
                }

                break;
        }
    }

    private static bool IsToolProgress(string type) =>
        type.StartsWith("response.web_search_call.", StringComparison.Ordinal)
        || type.StartsWith("response.code_interpreter_call", StringComparison.Ordinal)
        || type.StartsWith("response.mcp_call", StringComparison.Ordinal)
        || type.StartsWith("response.file_search_call.", StringComparison.Ordinal);

    private static JsonElement Parse(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        return JsonElement.ParseValue(ref reader);
    }

    private void OnItemAdded(JsonElement data, List<ChatResponseUpdate> updates)
    {
        if (!data.TryGetProperty(ResponsesFields.Item, out var item) || item.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        switch (ResponsesOutputMapper.GetString(item, ResponsesFields.Type))
        {
            case ResponsesFields.ItemTypes.Message:
                _messageId = ResponsesOutputMapper.GetString(item, ResponsesFields.Id) ?? _messageId;
                break;
            case ResponsesFields.ItemTypes.FunctionCall:
                _anyFunctionCalls = true;
                break;
            case ResponsesFields.ItemTypes.Reasoning:
                break;
            default:
                // A built-in tool started: progress.
                updates.Add(NewUpdate(data));
                break;
        }
    }

    private void OnItemDone(JsonElement data, List<ChatResponseUpdate> updates)
    {
        if (!data.TryGetProperty(ResponsesFields.Item, out var item) || item.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var id = ResponsesOutputMapper.GetString(item, ResponsesFields.Id);
        var streamed = id is not null && _itemsWithDeltas.Contains(id);
        var update = NewUpdate(data);
        switch (ResponsesOutputMapper.GetString(item, ResponsesFields.Type))
        {
            case ResponsesFields.ItemTypes.Message when streamed:
                {
                    // The text came as deltas; what is left is the part's own annotations and any citations not yet placed.
                    var annotated = new AIContent();
                    if (item.TryGetProperty(ResponsesFields.Content, out var parts) && parts.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var part in parts.EnumerateArray())
                        {
                            ResponsesOutputMapper.AddAnnotations(part, annotated);
                        }
                    }

                    ResponsesOutputMapper.AttachCitations(annotated, _citations);
                    if (annotated.Annotations is { Count: > 0 })
                    {
                        update.Contents.Add(annotated);
                    }

                    break;
                }

            case ResponsesFields.ItemTypes.Reasoning when streamed:
                break;

            case ResponsesFields.ItemTypes.FunctionCall:
                {
                    _anyFunctionCalls = true;
                    var arguments = ResponsesOutputMapper.GetString(item, ResponsesFields.Arguments);
                    if (string.IsNullOrEmpty(arguments) && id is not null && _arguments.TryGetValue(id, out var fromDeltas))
                    {
                        arguments = fromDeltas.ToString();
                    }

                    var call = FunctionCallFactory.Create(ResponsesOutputMapper.GetString(item, ResponsesFields.CallId) ?? id, ResponsesOutputMapper.GetString(item, ResponsesFields.Name), arguments);
                    call.RawRepresentation = item;
                    update.Contents.Add(call);
                    break;
                }

            default:
                // A message or reasoning item that came whole (no deltas), or a built-in tool: mapped as on the JSON path.
                ResponsesOutputMapper.AddItem(item, update.Contents, _citations, _includeReasoning);
                break;
        }

        updates.Add(update);
    }

    private void MarkDelta(JsonElement data)
    {
        if (ResponsesOutputMapper.GetString(data, ResponsesFields.ItemId) is { } itemId)
        {
            _itemsWithDeltas.Add(itemId);
        }
    }

    private JsonElement Capture(JsonElement data)
    {
        if (!data.TryGetProperty(ResponsesFields.Response, out var response) || response.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        if (ResponsesOutputMapper.GetString(response, ResponsesFields.Id) is { Length: > 0 } id)
        {
            _responseId = id;
            if (_store && !(response.TryGetProperty(ResponsesFields.Store, out var stored) && stored.ValueKind == JsonValueKind.False))
            {
                _conversationId = id;
            }
            else
            {
                _conversationId = null;
            }
        }

        if (ResponsesOutputMapper.GetString(response, ResponsesFields.Model) is { Length: > 0 } model)
        {
            _modelId = model;
        }

        _createdAt = ResponsesOutputMapper.CreatedAt(response) ?? _createdAt;
        return response;
    }

    private ChatResponseUpdate NewUpdate(JsonElement data) => new()
    {
        Role = ChatRole.Assistant,
        ResponseId = _responseId,
        ConversationId = _conversationId,
        MessageId = _messageId,
        ModelId = _modelId,
        CreatedAt = _createdAt,
        RawRepresentation = data,
    };
}
