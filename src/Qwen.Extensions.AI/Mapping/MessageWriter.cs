using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Wire;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>Writes MEAI chat history as the compatible-mode <c>messages</c> array.</summary>
internal static class MessageWriter
{
    /// <summary>The service caps one data URI at this many bytes.</summary>
    internal const int MaxDataUriLength = 10_485_760;

    /// <summary>Writes the <c>messages</c> array.</summary>
    /// <param name="writer">The request body.</param>
    /// <param name="messages">The history.</param>
    /// <param name="instructions"><see cref="ChatOptions.Instructions"/>.</param>
    /// <param name="preserveThinking">Whether every assistant turn's reasoning is echoed.</param>
    /// <param name="audioInput">Whether the model takes audio in user messages (Qwen-Omni): <c>audio/*</c> becomes an <c>input_audio</c> part.</param>
    public static void Write(Utf8JsonWriter writer, IList<ChatMessage> messages, string? instructions, bool preserveThinking, bool audioInput = false)
    {
        // Reasoning is echoed for assistant turns after the last user message (the current tool loop), or for all of them
        // when preserve_thinking is on: newer models corrupt their output in tool loops when it is not sent back.
        var lastUser = -1;
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i]?.Role == ChatRole.User)
            {
                lastUser = i;
                break;
            }
        }

        HashSet<string>? callIds = null;
        var answeredCallIds = CollectResultCallIds(messages);
        writer.WriteStartArray(Wire.ChatParameters.Messages.EncodedName);
        if (!string.IsNullOrEmpty(instructions))
        {
            writer.WriteStartObject();
            writer.WriteString(Wire.ResponseFields.Role, "system");
            writer.WriteString(Wire.ResponseFields.Content, instructions);
            writer.WriteEndObject();
        }

        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] ?? throw new ArgumentException($"messages[{i}] is null.", nameof(messages));
            WriteToolResults(writer, message, i, callIds);

            var role = message.Role;
            if (role == ChatRole.System)
            {
                WriteSystem(writer, message, i);
            }
            else if (role == ChatRole.User)
            {
                WriteUser(writer, message, i, audioInput);
            }
            else if (role == ChatRole.Assistant)
            {
                WriteAssistant(writer, message, i, echoReasoning: preserveThinking || i > lastUser, answeredCallIds, ref callIds);
            }
            else if (role == ChatRole.Tool)
            {
                EnsureOnlyResults(message, i);
            }
            else
            {
                throw new NotSupportedException($"messages[{i}] has role '{role}'; Qwen compatible mode supports system, user, assistant and tool.");
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteSystem(Utf8JsonWriter writer, ChatMessage message, int index)
    {
        foreach (var content in message.Contents)
        {
            if (content is not (TextContent or FunctionResultContent or UsageContent))
            {
                throw Unsupported(content, index, "a system message");
            }
        }

        var text = CollectText(message);
        if (text is null && HasResults(message))
        {
            return;
        }

        writer.WriteStartObject();
        writer.WriteString(Wire.ResponseFields.Role, "system");
        writer.WriteString(Wire.ResponseFields.Content, text ?? string.Empty);
        writer.WriteEndObject();
    }

    private static void WriteUser(Utf8JsonWriter writer, ChatMessage message, int index, bool audioInput)
    {
        var contents = message.Contents;
        var hasMedia = false;
        var hasOther = false;
        foreach (var content in contents)
        {
            switch (content)
            {
                case TextContent:
                    hasOther = true;
                    break;
                case DataContent or UriContent or QwenVideoFramesContent:
                    hasMedia = true;
                    break;
                case FunctionResultContent or UsageContent:
                    break;
                default:
                    throw Unsupported(content, index, "a user message");
            }
        }

        if (!hasMedia)
        {
            if (!hasOther && HasResults(message))
            {
                return;
            }

            writer.WriteStartObject();
            writer.WriteString(Wire.ResponseFields.Role, "user");
            writer.WriteString(Wire.ResponseFields.Content, CollectText(message) ?? string.Empty);
            writer.WriteEndObject();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString(Wire.ResponseFields.Role, "user");
        writer.WriteStartArray(Wire.ResponseFields.Content);
        foreach (var content in contents)
        {
            switch (content)
            {
                case TextContent text:
                    writer.WriteStartObject();
                    writer.WriteString("type", "text");
                    writer.WriteString("text", text.Text ?? string.Empty);
                    writer.WriteEndObject();
                    break;
                case DataContent data:
                    WriteMedia(writer, data.MediaType, data, null, index, audioInput);
                    break;
                case UriContent uri:
                    WriteMedia(writer, uri.MediaType, null, uri.Uri, index, audioInput);
                    break;
                case QwenVideoFramesContent video:
                    writer.WriteStartObject();
                    writer.WriteString("type", "video");
                    writer.WriteStartArray("video");
                    foreach (var frame in video.Frames)
                    {
                        writer.WriteStringValue(frame.AbsoluteUri);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                    break;
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteMedia(Utf8JsonWriter writer, string mediaType, DataContent? data, Uri? uri, int index, bool audioInput)
    {
        string partType;
        if (audioInput && mediaType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase))
        {
            WriteInputAudio(writer, mediaType, data, uri, index);
            return;
        }

        if (mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            partType = "image_url";
        }
        else if (mediaType.StartsWith("video/", StringComparison.OrdinalIgnoreCase))
        {
            partType = "video_url";
        }
        else
        {
            throw new NotSupportedException(
                $"messages[{index}] has a {(data is null ? nameof(UriContent) : nameof(DataContent))} of media type '{mediaType}'. " +
                "Qwen compatible mode accepts images (image/*) and videos (video/*) in user messages, and audio (audio/*) for Qwen-Omni models " +
                "(qwen-omni*, qwen3-omni*, qwen3.5-omni*); other media (PDF, documents, audio for other models) is not supported.");
        }

        string url;
        if (data is not null)
        {
            CheckDataUriLength(mediaType, data, index);
            writer.WriteStartObject();
            writer.WriteString("type", partType);
            writer.WriteStartObject(partType);
            writer.WritePropertyName("url");
            WriteDataUri(writer, mediaType, data);
            writer.WriteEndObject();
            writer.WriteEndObject();
            return;
        }

        url = uri!.IsAbsoluteUri ? uri.AbsoluteUri : throw new ArgumentException($"messages[{index}] has a UriContent with a relative URI '{uri}'; the service needs an absolute http, https or oss URL.", "messages");
        writer.WriteStartObject();
        writer.WriteString("type", partType);
        writer.WriteStartObject(partType);
        writer.WriteString("url", url);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>base64 grows 4/3; checked before building the URI so a 20 MB file fails fast.</summary>
    private static void CheckDataUriLength(string mediaType, DataContent data, int index)
    {
        var length = "data:".Length + mediaType.Length + ";base64,".Length + ((data.Data.Length + 2) / 3 * 4);
        if (length > MaxDataUriLength)
        {
            throw new ArgumentException(
                $"messages[{index}] has a {mediaType} DataContent of {data.Data.Length:N0} bytes; as a data URI that is {length:N0} bytes, " +
                $"over the service's limit of {MaxDataUriLength:N0} bytes per data URI. Pass a smaller file or a UriContent with its URL.",
                "messages");
        }
    }

    /// <summary>
    /// Qwen-Omni audio input (dashscope-more.md 5.2): <c>{"type":"input_audio","input_audio":{"data":"data:audio/wav;base64,...","format":"wav"}}</c>,
    /// the format from the media type (a URL without a concrete type goes without <c>format</c>, which the service allows for URLs).
    /// </summary>
    private static void WriteInputAudio(Utf8JsonWriter writer, string mediaType, DataContent? data, Uri? uri, int index)
    {
        var format = AudioFormat(mediaType);
        if (data is not null)
        {
            if (format is null)
            {
                throw new ArgumentException(
                    $"messages[{index}] has audio of media type '{mediaType}'; the service needs the audio format. " +
                    "Give the DataContent a concrete media type such as 'audio/wav' or 'audio/mpeg'.",
                    "messages");
            }

            CheckDataUriLength(mediaType, data, index);
        }
        else if (!uri!.IsAbsoluteUri)
        {
            throw new ArgumentException($"messages[{index}] has a UriContent with a relative URI '{uri}'; the service needs an absolute http, https or oss URL.", "messages");
        }

        writer.WriteStartObject();
        writer.WriteString(ChatParameters.ContentParts.Type, ChatParameters.ContentParts.InputAudio);
        writer.WriteStartObject(ChatParameters.ContentParts.InputAudio);
        writer.WritePropertyName(ChatParameters.ContentParts.Data);
        if (data is not null)
        {
            WriteDataUri(writer, mediaType, data);
        }
        else
        {
            writer.WriteStringValue(uri!.AbsoluteUri);
        }

        if (format is not null)
        {
            writer.WriteString(ChatParameters.ContentParts.Format, format);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The <c>format</c> of an audio media type: its subtype without parameters or an <c>x-</c> prefix (<c>audio/mpeg</c> → <c>mp3</c>, <c>audio/wave</c> → <c>wav</c>); null for <c>audio/*</c>.</summary>
    internal static string? AudioFormat(string mediaType)
    {
        var subtype = mediaType.AsSpan("audio/".Length);
        var parameters = subtype.IndexOf(';');
        if (parameters >= 0)
        {
            subtype = subtype[..parameters];
        }

        subtype = subtype.Trim();
        if (subtype.StartsWith("x-", StringComparison.OrdinalIgnoreCase))
        {
            subtype = subtype[2..];
        }

        if (subtype.IsEmpty || subtype.Contains('*'))
        {
            return null;
        }

        var format = subtype.ToString().ToLowerInvariant();
        return format switch
        {
            "mpeg" or "mpeg3" or "mp3" => "mp3",
            "wave" or "wav" or "vnd.wave" => "wav",
            "3gpp" => "3gpp",
            "mp4" or "m4a" => "m4a",
            _ => format,
        };
    }

    /// <summary>
    /// Writes <c>data:{mediaType};base64,{data}</c> as one JSON string. On .NET 10 the bytes are base64-encoded straight into the
    /// body as segments of that string, so a large image costs no data-URI string (2 bytes per base64 char) and no escaping pass.
    /// </summary>
    private static void WriteDataUri(Utf8JsonWriter writer, string mediaType, DataContent data)
    {
#if NET10_0_OR_GREATER
        // Every segment of one string must have the same encoding (UTF-8 here): the prefix is transcoded once, the base64 made below.
        writer.WriteStringValueSegment("data:"u8, isFinalSegment: false);
        var mediaTypeBytes = Encoding.UTF8.GetMaxByteCount(mediaType.Length) <= 256 ? stackalloc byte[256] : new byte[Encoding.UTF8.GetMaxByteCount(mediaType.Length)];
        writer.WriteStringValueSegment(mediaTypeBytes[..Encoding.UTF8.GetBytes(mediaType, mediaTypeBytes)], isFinalSegment: false);
        writer.WriteStringValueSegment(";base64,"u8, isFinalSegment: data.Data.IsEmpty);
        if (!data.Data.IsEmpty)
        {
            WriteBase64Segments(writer, data.Data.Span);
        }
#else
        writer.WriteStringValue(data.Uri);
#endif
    }

#if NET10_0_OR_GREATER
    /// <summary>Base64-encodes <paramref name="bytes"/> in blocks into the open string segment and closes it.</summary>
    private static void WriteBase64Segments(Utf8JsonWriter writer, ReadOnlySpan<byte> bytes)
    {
        // Blocks are a multiple of 3 bytes, so padding can only appear in the last one.
        const int Block = 3 * 4096;
        Span<byte> encoded = stackalloc byte[Block / 3 * 4];
        do
        {
            var take = Math.Min(bytes.Length, Block);
            System.Buffers.Text.Base64.EncodeToUtf8(bytes[..take], encoded, out _, out var written);
            bytes = bytes[take..];
            writer.WriteStringValueSegment(encoded[..written], isFinalSegment: bytes.IsEmpty);
        }
        while (!bytes.IsEmpty);
    }
#endif

    private static void WriteAssistant(Utf8JsonWriter writer, ChatMessage message, int index, bool echoReasoning, HashSet<string>? answeredCallIds, ref HashSet<string>? callIds)
    {
        StringBuilder? reasoning = null;
        string? firstReasoning = null;
        var hasCalls = false;
        var hasText = false;
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent:
                    hasText = true;
                    break;
                case TextReasoningContent r when echoReasoning && !string.IsNullOrEmpty(r.Text):
                    if (firstReasoning is null)
                    {
                        firstReasoning = r.Text;
                    }
                    else
                    {
                        (reasoning ??= new StringBuilder(firstReasoning)).Append(r.Text);
                    }

                    break;
                case TextReasoningContent:
                    break;
                case FunctionCallContent { InformationalOnly: true } handled when !IsAnswered(handled, answeredCallIds):
                    // A call some other component handled, with no result in this history (a server-side tool): not ours to echo.
                    break;
                case FunctionCallContent:
                    hasCalls = true;
                    break;
                case DataContent audio when audio.MediaType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase):
                    // A Qwen-Omni answer fed back as history: assistant messages carry text only (dashscope-more.md 5.5), so its
                    // transcript is sent as the text and the audio bytes are dropped; without a transcript it is dropped silently.
                    hasText |= !string.IsNullOrEmpty(Transcript(audio));
                    break;
                case FunctionResultContent or UsageContent:
                    break;
                default:
                    throw Unsupported(content, index, "an assistant message");
            }
        }

        if (!hasText && !hasCalls && firstReasoning is null && HasResults(message))
        {
            return;
        }

        writer.WriteStartObject();
        writer.WriteString(Wire.ResponseFields.Role, "assistant");
        writer.WriteString(Wire.ResponseFields.Content, hasText ? CollectAssistantText(message) : string.Empty);
        if (firstReasoning is not null)
        {
            writer.WriteString(Wire.ResponseFields.ReasoningContent, reasoning?.ToString() ?? firstReasoning);
        }

        if (hasCalls)
        {
            // Empty tool_calls is not supported by the service, so the array is written only when there is a call.
            writer.WriteStartArray(Wire.ResponseFields.ToolCalls);
            foreach (var content in message.Contents)
            {
                // FunctionInvokingChatClient marks calls it has invoked as InformationalOnly; with their results in the history
                // they are still part of the conversation, and the service needs the call before its tool message.
                if (content is not FunctionCallContent call || (call.InformationalOnly && !IsAnswered(call, answeredCallIds)))
                {
                    continue;
                }

                if (string.IsNullOrEmpty(call.CallId))
                {
                    throw new ArgumentException($"messages[{index}] has a FunctionCallContent for '{call.Name}' without a CallId; the service pairs calls and results by id.", "messages");
                }

                (callIds ??= new(StringComparer.Ordinal)).Add(call.CallId);
                writer.WriteStartObject();
                writer.WriteString(Wire.ResponseFields.Id, call.CallId);
                writer.WriteString("type", "function");
                writer.WriteStartObject(Wire.ResponseFields.Function);
                writer.WriteString(Wire.ResponseFields.Name, call.Name);
                writer.WriteString(Wire.ResponseFields.Arguments, call.Arguments is null ? "{}" : JsonValueWriter.ToJsonString(call.Arguments, $"messages[{index}] FunctionCallContent '{call.Name}' arguments"));
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteToolResults(Utf8JsonWriter writer, ChatMessage message, int index, HashSet<string>? callIds)
    {
        foreach (var content in message.Contents)
        {
            if (content is not FunctionResultContent result)
            {
                continue;
            }

            if (string.IsNullOrEmpty(result.CallId))
            {
                throw new ArgumentException($"messages[{index}] has a FunctionResultContent without a CallId.", "messages");
            }

            if (callIds is null || !callIds.Contains(result.CallId))
            {
                throw new ArgumentException(
                    $"messages[{index}] has a FunctionResultContent for call id '{result.CallId}', but no earlier assistant message has a FunctionCallContent with that id. " +
                    "The service rejects tool results that answer no call; keep the assistant message with the call in the history.",
                    "messages");
            }

            writer.WriteStartObject();
            writer.WriteString(Wire.ResponseFields.Role, "tool");
            writer.WriteString(Wire.ResponseFields.ToolCallId, result.CallId);
            writer.WriteString(Wire.ResponseFields.Content, ResultToText(result, index));
            writer.WriteEndObject();
        }
    }

    private static string ResultToText(FunctionResultContent result, int index) => result.Result switch
    {
        null when result.Exception is not null => $"Error: {result.Exception.Message}",
        null => string.Empty,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
        TextContent t => t.Text ?? string.Empty,
        _ => JsonValueWriter.ToJsonString(result.Result, $"messages[{index}] FunctionResultContent '{result.CallId}' result"),
    };

    private static void EnsureOnlyResults(ChatMessage message, int index)
    {
        foreach (var content in message.Contents)
        {
            if (content is not (FunctionResultContent or UsageContent))
            {
                throw new NotSupportedException(
                    $"messages[{index}] is a tool message with a {content.GetType().Name}; tool messages carry FunctionResultContent only (each becomes a 'tool' message with its call id).");
            }
        }
    }

    /// <summary>Joins a message's text parts (callers have already refused content that cannot be sent).</summary>
    private static string? CollectText(ChatMessage message)
    {
        string? first = null;
        StringBuilder? sb = null;
        foreach (var content in message.Contents)
        {
            if (content is TextContent text)
            {
                if (first is null)
                {
                    first = text.Text ?? string.Empty;
                }
                else
                {
                    (sb ??= new StringBuilder(first)).Append(text.Text);
                }
            }
        }

        return sb?.ToString() ?? first;
    }

    /// <summary>
    /// An assistant message's text: its text parts, and the transcript of each audio part in its place, except a transcript the
    /// text parts already hold (an Omni answer carries its spoken text both ways), so it is never sent twice.
    /// </summary>
    private static string CollectAssistantText(ChatMessage message)
    {
        var text = CollectText(message);
        StringBuilder? sb = null;
        foreach (var content in message.Contents)
        {
            if (content is TextContent part)
            {
                sb?.Append(part.Text);
            }
            else if (content is DataContent audio && Transcript(audio) is { Length: > 0 } transcript
                && (text is null || !text.Contains(transcript, StringComparison.Ordinal)))
            {
                sb ??= new StringBuilder(PrecedingText(message, audio));
                sb.Append(transcript);
            }
        }

        return sb?.ToString() ?? text ?? string.Empty;
    }

    /// <summary>The text parts before <paramref name="stop"/>, joined.</summary>
    private static string PrecedingText(ChatMessage message, AIContent stop)
    {
        var sb = new StringBuilder();
        foreach (var content in message.Contents)
        {
            if (ReferenceEquals(content, stop))
            {
                break;
            }

            if (content is TextContent text)
            {
                sb.Append(text.Text);
            }
        }

        return sb.ToString();
    }

    /// <summary>The transcript the connector put on an Omni audio answer (<c>AdditionalProperties["transcript"]</c>), if any.</summary>
    private static string? Transcript(DataContent audio) =>
        audio.MediaType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase)
        && audio.AdditionalProperties?.TryGetValue(Wire.ResponseFields.Transcript, out var value) == true
            ? value as string
            : null;

    private static HashSet<string>? CollectResultCallIds(IList<ChatMessage> messages)
    {
        HashSet<string>? ids = null;
        foreach (var message in messages)
        {
            if (message is null)
            {
                continue;
            }

            foreach (var content in message.Contents)
            {
                if (content is FunctionResultContent { CallId: { Length: > 0 } id })
                {
                    (ids ??= new(StringComparer.Ordinal)).Add(id);
                }
            }
        }

        return ids;
    }

    private static bool IsAnswered(FunctionCallContent call, HashSet<string>? answeredCallIds) =>
        answeredCallIds is not null && call.CallId is { Length: > 0 } id && answeredCallIds.Contains(id);

    private static bool HasResults(ChatMessage message)
    {
        foreach (var content in message.Contents)
        {
            if (content is FunctionResultContent)
            {
                return true;
            }
        }

        return false;
    }

    private static NotSupportedException Unsupported(AIContent content, int index, string where) =>
        new($"messages[{index}] contains a {content.GetType().Name}, which Qwen compatible mode cannot carry in {where}. " +
            "Supported: text everywhere; images and videos (DataContent/UriContent) in user messages; reasoning and function calls in assistant messages; function results.");
}
