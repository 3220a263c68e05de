using System.Net.ServerSentEvents;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// The per-event mapper of a compatible-mode SSE stream: each event is parsed inside the <see cref="SseParser"/> callback
/// straight from the parser's buffer (no per-event copy) into one reused frame and mapped to a <see cref="ChatResponseUpdate"/>
/// (contents through <see cref="ChoiceMapper"/>). Text and reasoning are yielded as they arrive; tool calls once complete (at
/// <c>finish_reason</c>, or at the end); usage exactly once, after <c>[DONE]</c>, so aggregation never double counts. A stream
/// without <c>[DONE]</c> is an error. <see cref="StreamingUpdateEnumerator"/> drives it.
/// </summary>
internal sealed class StreamingResponseReader
{
    private readonly ChatCompletionFrame _frame = new();
    private readonly bool _includeReasoning;
    private string? _requestId;
    private ToolCallAccumulator? _toolCalls;
    private UsageFrame? _usage;
    private AudioMapper? _audio;
    private JsonElement? _usageEvent;
    private bool _requestIdSent;
    private long? _createdSeconds;
    private DateTimeOffset? _createdAt;
    private StringBuilder? _reasoning;
    private bool _realToolCall;

    public StreamingResponseReader(string? requestId, bool includeReasoning, HttpStatusCode status, int maxEventBytes = ResponseEventStream.DefaultMaxEventBytes)
    {
        _requestId = requestId;
        _includeReasoning = includeReasoning;
        Status = status;
        MaxEventBytes = maxEventBytes;
    }

    /// <summary>Gets the cap on one event's size, in bytes.</summary>
    internal int MaxEventBytes { get; }

    /// <summary>Gets or sets the HTTP status of the answer, for errors.</summary>
    internal HttpStatusCode Status { get; set; }

    /// <summary>Gets or sets the service's request id, for errors and the first update.</summary>
    internal string? RequestId { get => _requestId; set => _requestId = value; }

    /// <summary>Gets or sets a value indicating whether each update carries its event as a <see cref="JsonElement"/> in <c>RawRepresentation</c>.</summary>
    internal bool KeepRawEvents { get; set; }

    /// <summary>Gets or sets the recovery of tool calls leaked into the reasoning, or null when it is off or no tool was offered.</summary>
    internal LeakedToolCallRecovery? Recovery { get; set; }

    /// <summary>Gets or sets the API key, redacted from every service-sent string that ends up in an exception or an update.</summary>
    internal string? ApiKey { get; set; }

    /// <summary>Gets a value indicating whether <c>data: [DONE]</c> has been read.</summary>
    internal bool IsDone { get; private set; }

    /// <summary>Reads an already open event stream.</summary>
    public IAsyncEnumerable<ChatResponseUpdate> ReadAsync(Stream stream, CancellationToken cancellationToken) =>
        new StreamingUpdateEnumerator(this, stream, null, null, cancellationToken);

    internal QwenApiException MalformedEvent(Exception ex) => QwenErrors.Malformed("stream event", ex, Status, _requestId, ApiKey);

    internal QwenApiException StreamEndedEarly() => QwenErrors.StreamEndedBeforeDone(Status, _requestId);

    /// <summary>After the events: pending tool calls, leftover audio, then usage (once); false when nothing is left.</summary>
    internal ChatResponseUpdate? NextTrailingUpdate()
    {
        if (_audio is { } audio)
        {
            _audio = null;
            var decoded = new List<AIContent>(1);
            audio.Flush(decoded);
            if (decoded.Count > 0)
            {
                return NewUpdate(decoded, null);
            }
        }

        if (_toolCalls is { HasPending: true })
        {
            var contents = new List<AIContent>();
            _toolCalls.Flush(contents);
            return NewUpdate(contents, null);
        }

        if (_usage is { } usage)
        {
            _usage = null;
            var usageUpdate = NewUpdate([new UsageContent(UsageMapper.ToUsageDetails(usage))], null);
            usageUpdate.RawRepresentation = _usageEvent;
            return usageUpdate;
        }

        return null;
    }

    /// <summary>Maps one SSE event to an update, or null when the event yields none (<c>[DONE]</c>, usage only, an empty delta).</summary>
    internal ChatResponseUpdate? Parse(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.SequenceEqual("[DONE]"u8))
        {
            IsDone = true;
            return null;
        }

        if (data.IsEmpty || IsDone)
        {
            return null;
        }

        var frame = _frame;
        frame.Reset();
        try
        {
            CompletionJsonReader.Read(data, frame);
        }
        catch (Exception ex) when (QwenErrors.IsMalformedPayload(ex))
        {
            throw QwenErrors.Malformed("stream event", ex, Status, _requestId, ApiKey);
        }

        _requestId ??= QwenErrors.Redact(frame.RequestId, ApiKey);
        if (eventType == "error" && frame.Error is null && !QwenErrors.IsNativeError(frame))
        {
            frame.Error = new ErrorDetail { Message = frame.NativeMessage ?? "The stream reported an error.", Code = frame.NativeCode };
        }

        // Either error shape, with or without "choices": [] next to it. The HTTP exchange succeeded (200); the error came inside
        // the stream, so there is no HTTP status to report.
        QwenErrors.ThrowIfError(frame, _requestId, status: null, ApiKey);

        JsonElement? raw = null;
        if (KeepRawEvents)
        {
            // A copy: the parser's buffer is reused for the next event.
            var reader = new Utf8JsonReader(data);
            raw = JsonElement.ParseValue(ref reader);
        }

        if (frame.Usage is not null)
        {
            _usage = frame.Usage;
            _usageEvent = raw;
        }

        if (frame.ChoiceCount == 0)
        {
            return null;
        }

        var choice = frame.GetChoice(0);
        if (choice.AudioData is not null)
        {
            _audio ??= new AudioMapper();
        }

        var contents = ChoiceMapper.ToContents(choice, _includeReasoning, null, _audio);

        var toolCalls = choice.ToolCalls;
        if (Recovery is not null && choice.Index == 0)
        {
            if (toolCalls.Count > 0)
            {
                _realToolCall = true;
            }
            else if (!string.IsNullOrEmpty(choice.ReasoningContent))
            {
                (_reasoning ??= new StringBuilder()).Append(choice.ReasoningContent);
            }
        }

        if (toolCalls.Count > 0)
        {
            _toolCalls ??= new ToolCallAccumulator();
            foreach (var fragment in toolCalls)
            {
                _toolCalls.Add(fragment);
            }
        }

        var finishReason = FinishReasonMapper.ToFinishReason(choice.FinishReason);
        if (finishReason is not null && _toolCalls is { HasPending: true })
        {
            _toolCalls.Flush(contents ??= new List<AIContent>(2));
        }
        else if (finishReason is not null && choice.Index == 0 && Recovery is { } recovery && !_realToolCall && _reasoning is not null)
        {
            // At the finish, once: a call the model wrote in its reasoning (opt-in), in the finish update, as real calls come.
            var recovered = recovery.Recover(_reasoning.ToString());
            _reasoning = null;
            if (recovered is not null)
            {
                (contents ??= new List<AIContent>(recovered.Count)).AddRange(recovered);
                finishReason = ChatFinishReason.ToolCalls;
            }
        }

        if (contents is null && finishReason is null && choice.Annotations is null)
        {
            return null;
        }

        if (frame.Created != _createdSeconds)
        {
            _createdSeconds = frame.Created;
            _createdAt = frame.Created is { } created ? DateTimeOffset.FromUnixTimeSeconds(created) : null;
        }

        var update = NewUpdate(contents ?? [], finishReason);
        if (choice.Index != 0)
        {
            // Each choice of n > 1 is its own message, so aggregation and caching never merge them (as on the non-streaming path).
            update.MessageId = ChoiceMapper.MessageId(_frame.Id, choice.Index);
        }

        update.RawRepresentation = raw;
        if (choice.Annotations is { } annotations)
        {
            // As on the non-streaming path (qwen3-asr's audio_info); aggregation carries it to the message.
            (update.AdditionalProperties ??= new())[ChoiceMapper.AnnotationsKey] = annotations;
        }

        if (choice.Logprobs is { } logprobs)
        {
            // As on the non-streaming path; MEAI's aggregation carries update properties over to the message.
            (update.AdditionalProperties ??= new())[ChoiceMapper.LogprobsKey] = logprobs;
        }

        return update;
    }

    private ChatResponseUpdate NewUpdate(IList<AIContent> contents, ChatFinishReason? finishReason)
    {
        var update = new ChatResponseUpdate(ChatRole.Assistant, contents)
        {
            ResponseId = _frame.Id,
            MessageId = _frame.Id,
            ModelId = _frame.Model,
            CreatedAt = _createdAt,
            FinishReason = finishReason,
        };

        if (!_requestIdSent && _requestId is not null)
        {
            _requestIdSent = true;
            update.AdditionalProperties = new() { [QwenPropertyNames.RequestId] = _requestId };
        }

        return update;
    }
}
