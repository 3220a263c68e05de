using System.Net;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Http;
using Qwen.Extensions.AI.Wire;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// Reads a compatible-mode SSE stream into <see cref="ChatResponseUpdate"/>s. Each event is parsed inside the
/// <see cref="SseParser"/> callback straight from the parser's buffer (no per-event copy) into one reused frame.
/// Text and reasoning are yielded as they arrive; tool calls once complete (at <c>finish_reason</c>, or at the end);
/// usage exactly once, after <c>[DONE]</c>, so aggregation never double counts. A stream without <c>[DONE]</c> is an error.
/// </summary>
internal sealed class StreamingResponseReader
{
    private readonly ChatCompletionFrame _frame = new();
    private readonly bool _includeReasoning;
    private readonly HttpStatusCode _status;
    private readonly int _maxEventBytes;
    private string? _requestId;
    private ToolCallAccumulator? _toolCalls;
    private UsageFrame? _usage;
    private bool _done;
    private bool _requestIdSent;
    private long? _createdSeconds;
    private DateTimeOffset? _createdAt;

    public StreamingResponseReader(string? requestId, bool includeReasoning, HttpStatusCode status, int maxEventBytes = EventSizeLimitStream.DefaultMaxEventBytes)
    {
        _requestId = requestId;
        _includeReasoning = includeReasoning;
        _status = status;
        _maxEventBytes = maxEventBytes;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The BCL parser has no limit on a line or an event: the wrapper stops a stream whose event outgrows maxEventBytes.
        var parser = SseParser.Create(new EventSizeLimitStream(stream, _maxEventBytes, _status, _requestId), Parse);
        await foreach (var item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (item.Data is { } update)
            {
                yield return update;
            }

            if (_done)
            {
                break;
            }
        }

        if (!_done)
        {
            throw new QwenApiException(
                "The stream ended before 'data: [DONE]': the connection was closed or cut while the reply was still coming, so the reply is incomplete.",
                _status, null, null, null, _requestId);
        }

        if (_toolCalls is { HasPending: true })
        {
            var contents = new List<AIContent>();
            _toolCalls.Flush(contents);
            yield return NewUpdate(contents, null);
        }

        if (_usage is not null)
        {
            yield return NewUpdate([new UsageContent(UsageMapper.ToUsageDetails(_usage))], null);
        }
    }

    private ChatResponseUpdate? Parse(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.SequenceEqual("[DONE]"u8))
        {
            _done = true;
            return null;
        }

        if (data.IsEmpty || _done)
        {
            return null;
        }

        var frame = _frame;
        frame.Reset();
        try
        {
            CompletionJsonReader.Read(data, frame);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            throw ErrorResponseMapper.Malformed("stream event", ex, _status, _requestId);
        }

        _requestId ??= frame.RequestId;
        if (frame.Error is not null || eventType == "error" || (frame.NativeCode is { Length: > 0 } && !frame.HasChoices))
        {
            frame.Error ??= new ErrorDetail { Message = frame.NativeMessage ?? "The stream reported an error.", Code = frame.NativeCode };

            // The HTTP exchange succeeded (200); the error came inside the stream, so there is no HTTP status to report.
            ErrorResponseMapper.ThrowIfError(frame, _requestId, status: null);
        }

        if (frame.Usage is not null)
        {
            _usage = frame.Usage;
        }

        if (frame.ChoiceCount == 0)
        {
            return null;
        }

        var choice = frame.GetChoice(0);
        List<AIContent>? contents = null;
        if (_includeReasoning && !string.IsNullOrEmpty(choice.ReasoningContent))
        {
            (contents = new List<AIContent>(1)).Add(new TextReasoningContent(choice.ReasoningContent));
        }

        if (!string.IsNullOrEmpty(choice.Content))
        {
            (contents ??= new List<AIContent>(1)).Add(new TextContent(choice.Content));
        }

        if (choice.AudioData is not null || choice.AudioTranscript is not null)
        {
            AudioMapper.Add(contents ??= new List<AIContent>(1), choice);
        }

        var toolCalls = choice.ToolCalls;
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

        if (contents is null && finishReason is null)
        {
            return null;
        }

        if (frame.Created != _createdSeconds)
        {
            _createdSeconds = frame.Created;
            _createdAt = frame.Created is { } created ? DateTimeOffset.FromUnixTimeSeconds(created) : null;
        }

        return NewUpdate(contents ?? [], finishReason);
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
