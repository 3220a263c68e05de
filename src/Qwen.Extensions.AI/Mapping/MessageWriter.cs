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
    /// <param name="audioInput">Whether the model takes audio in user messages (Qwen-Omni, qwen3-asr): <c>audio/*</c> becomes an <c>input_audio</c> part.</param>
    /// <param name="systemAppendix">Text the client adds at the end of the system message (the schema instruction for JSON mode), or <see langword="null"/>.</param>
    /// <param name="cache">Where the context-cache markers go (<see cref="CacheMarkers.Plan"/>), or <see langword="null"/> for none.</param>
    /// <param name="speechRecognition">Whether the model is a speech-recognition model (qwen3-asr): its audio limit (10 MB) is checked before sending.</param>
    public static void Write(Utf8JsonWriter writer, IList<ChatMessage> messages, string? instructions, bool preserveThinking, bool audioInput = false, string? systemAppendix = null, CacheMarkers? cache = null, bool speechRecognition = false)
    {
        var audio = audioInput ? (speechRecognition ? AudioRule.SpeechRecognition : AudioRule.Omni) : AudioRule.None;
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
        WriteSystem(writer, messages, instructions, systemAppendix, cache?.System == true);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] ?? throw new ArgumentException($"messages[{i}] is null.", nameof(messages));
            WriteToolResults(writer, message, i, callIds, cache);

            var role = message.Role;
            if (role == ChatRole.System)
            {
                // Written up front by WriteSystem: the service reads the system role only in messages[0].
            }
            else if (role == ChatRole.User)
            {
                WriteUser(writer, message, i, audio, cache);
            }
            else if (role == ChatRole.Assistant)
            {
                WriteAssistant(writer, message, i, echoReasoning: preserveThinking || i > lastUser, answeredCallIds, ref callIds, cache?.Message(i) == true);
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

    /// <summary>
    /// Writes exactly one leading system message: <paramref name="instructions"/>, then the text of every system message in
    /// history order, joined by <see cref="SystemSeparator"/> (the service reads the system role only in <c>messages[0]</c>).
    /// System messages that reference uploaded files (<c>fileid://...</c>, for qwen-long / qwen-doc-turbo) follow it as messages
    /// of their own, in order, as DashScope's document pages show; so does each <see cref="HostedFileContent"/> of a system or user
    /// message, as <c>fileid://{FileId}</c>. At most <see cref="FileParameters.MaxFileIdsPerRequest"/> ids in all; with file
    /// references but no system text, the documented <see cref="DefaultSystemText"/> leads. The common case (one source of system
    /// text) allocates nothing.
    /// </summary>
    private static void WriteSystem(Utf8JsonWriter writer, IList<ChatMessage> messages, string? instructions, string? appendix, bool cacheControl)
    {
        var first = string.IsNullOrEmpty(instructions) ? null : instructions;
        StringBuilder? joined = null;
        var fileIds = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] ?? throw new ArgumentException($"messages[{i}] is null.", nameof(messages));
            if (message.Role == ChatRole.User)
            {
                fileIds += CountHostedFiles(message);
                continue;
            }

            if (message.Role != ChatRole.System)
            {
                continue;
            }

            fileIds += CountHostedFiles(message);
            var text = SystemText(message, i);
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            if (IsFileReference(text))
            {
                fileIds += CountOccurrences(text, Wire.ChatParameters.Values.FileIdScheme);
            }
            else if (first is null)
            {
                first = text;
            }
            else
            {
                (joined ??= new StringBuilder(first)).Append(SystemSeparator).Append(text);
            }
        }

        if (fileIds > FileParameters.MaxFileIdsPerRequest)
        {
            throw new ArgumentException(
                $"The messages reference {fileIds} files (HostedFileContent and fileid:// system messages); the service reads at most {FileParameters.MaxFileIdsPerRequest} per request.",
                nameof(messages));
        }

        if (appendix is not null)
        {
            if (first is null)
            {
                first = appendix;
            }
            else
            {
                (joined ??= new StringBuilder(first)).Append(SystemSeparator).Append(appendix);
            }
        }

        if (fileIds > 0)
        {
            // The documented shape: the normal system message first, the file references after it.
            first ??= DefaultSystemText;
        }

        if (first is not null)
        {
            writer.WriteStartObject();
            writer.WriteString(Wire.ChatParameters.Fields.Role, Wire.ChatParameters.Values.System);
            WriteTextContent(writer, joined?.ToString() ?? first, cacheControl);
            writer.WriteEndObject();
        }

        if (fileIds == 0)
        {
            return;
        }

        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.Role != ChatRole.System && message.Role != ChatRole.User)
            {
                continue;
            }

            if (message.Role == ChatRole.System && SystemText(message, i) is { Length: > 0 } text && IsFileReference(text))
            {
                WriteSystemMessage(writer, text);
            }

            foreach (var content in message.Contents)
            {
                if (content is HostedFileContent file)
                {
                    WriteSystemMessage(writer, Wire.ChatParameters.Values.FileIdScheme + file.FileId);
                }
            }
        }
    }

    /// <summary>Whether <see cref="WriteSystem"/> writes a leading system message (instructions or system text that is not a file reference).</summary>
    internal static bool HasSystemText(IList<ChatMessage> messages, string? instructions)
    {
        if (!string.IsNullOrEmpty(instructions))
        {
            return true;
        }

        foreach (var message in messages)
        {
            if (message?.Role == ChatRole.System && CollectText(message) is { Length: > 0 } text && !IsFileReference(text))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The system text DashScope's qwen-long samples put before the <c>fileid://</c> messages, used when the history has none.</summary>
    internal const string DefaultSystemText = "You are a helpful assistant.";

    private static void WriteSystemMessage(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString(Wire.ChatParameters.Fields.Role, Wire.ChatParameters.Values.System);
        writer.WriteString(Wire.ChatParameters.Fields.Content, text);
        writer.WriteEndObject();
    }

    private static int CountHostedFiles(ChatMessage message)
    {
        // Indexed, not foreach over the IList interface: runs for every user message of every request, and boxes no enumerator.
        var contents = message.Contents;
        var count = 0;
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is HostedFileContent)
            {
                count++;
            }
        }

        return count;
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>What joins the parts of the one system message: a blank line, so each source stays its own paragraph.</summary>
    internal const string SystemSeparator = "\n\n";

    private static bool IsFileReference(string text) =>
        text.AsSpan().TrimStart().StartsWith(Wire.ChatParameters.Values.FileIdScheme, StringComparison.Ordinal);

    private static string? SystemText(ChatMessage message, int index)
    {
        foreach (var content in message.Contents)
        {
            if (content is not (TextContent or FunctionResultContent or UsageContent or HostedFileContent))
            {
                throw Unsupported(content, index, "a system message");
            }
        }

        return CollectText(message);
    }

    private static void WriteUser(Utf8JsonWriter writer, ChatMessage message, int index, AudioRule audio, CacheMarkers? cache)
    {
        var contents = message.Contents;
        var hasMedia = false;
        var hasOther = false;
        var hasFiles = false;
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
                case HostedFileContent:
                    // Sent as a fileid:// system message by WriteSystem.
                    hasFiles = true;
                    break;
                default:
                    throw Unsupported(content, index, "a user message");
            }
        }

        var marked = cache?.AnyPart(message) == true;
        if (!hasMedia && !marked)
        {
            if (!hasOther && (hasFiles || HasResults(message)))
            {
                return;
            }

            writer.WriteStartObject();
            writer.WriteString(Wire.ChatParameters.Fields.Role, Wire.ChatParameters.Values.User);
            writer.WriteString(Wire.ChatParameters.Fields.Content, CollectText(message) ?? string.Empty);
            writer.WriteEndObject();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString(Wire.ChatParameters.Fields.Role, Wire.ChatParameters.Values.User);
        writer.WriteStartArray(Wire.ChatParameters.Fields.Content);
        foreach (var content in contents)
        {
            switch (content)
            {
                case TextContent text:
                    WriteTextPart(writer, text.Text ?? string.Empty, marked && cache!.Part(text));
                    break;
                case DataContent data:
                    WriteMedia(writer, ConcreteMediaType(data, index), data, null, index, audio, marked && cache!.Part(data));
                    break;
                case UriContent uri:
                    WriteMedia(writer, uri.MediaType, null, uri.Uri, index, audio, marked && cache!.Part(uri));
                    break;
                case QwenVideoFramesContent video:
                    writer.WriteStartObject();
                    writer.WriteString(Wire.ChatParameters.Fields.Type, Wire.ChatParameters.Values.VideoType);
                    writer.WriteStartArray(Wire.ChatParameters.Fields.Video);
                    foreach (var frame in video.Frames)
                    {
                        RefuseLocalFile(frame, index, nameof(QwenVideoFramesContent));
                        writer.WriteStringValue(frame.AbsoluteUri);
                    }

                    writer.WriteEndArray();
                    WriteCacheControl(writer, marked && cache!.Part(video));
                    writer.WriteEndObject();
                    break;
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>A message's <c>content</c>: the plain string, or with a cache marker the one-part array <c>[{"type":"text","text":...,"cache_control":{"type":"ephemeral"}}]</c> (dashscope-more.md 3.2).</summary>
    private static void WriteTextContent(Utf8JsonWriter writer, string text, bool cacheControl)
    {
        if (!cacheControl)
        {
            writer.WriteString(Wire.ChatParameters.Fields.Content, text);
            return;
        }

        writer.WriteStartArray(Wire.ChatParameters.Fields.Content);
        WriteTextPart(writer, text, cacheControl: true);
        writer.WriteEndArray();
    }

    private static void WriteTextPart(Utf8JsonWriter writer, string text, bool cacheControl)
    {
        writer.WriteStartObject();
        writer.WriteString(Wire.ChatParameters.Fields.Type, Wire.ChatParameters.Values.Text);
        writer.WriteString(Wire.ChatParameters.Fields.Text, text);
        WriteCacheControl(writer, cacheControl);
        writer.WriteEndObject();
    }

    /// <summary>Writes <c>"cache_control":{"type":"ephemeral"}</c> into the open part when <paramref name="cacheControl"/>.</summary>
    private static void WriteCacheControl(Utf8JsonWriter writer, bool cacheControl)
    {
        if (cacheControl)
        {
            writer.WriteStartObject(ChatParameters.ContentParts.CacheControlName);
            writer.WriteString(Wire.ChatParameters.Fields.Type, ChatParameters.ContentParts.EphemeralValue);
            writer.WriteEndObject();
        }
    }

    private static void WriteMedia(Utf8JsonWriter writer, string mediaType, DataContent? data, Uri? uri, int index, AudioRule audio, bool cacheControl = false)
    {
        JsonEncodedText partType;
        if (audio != AudioRule.None && mediaType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase))
        {
            WriteInputAudio(writer, mediaType, data, uri, index, audio, cacheControl);
            return;
        }

        if (mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            partType = Wire.ChatParameters.Values.ImageUrlType;
        }
        else if (mediaType.StartsWith("video/", StringComparison.OrdinalIgnoreCase))
        {
            partType = Wire.ChatParameters.Values.VideoUrlType;
        }
        else
        {
            throw new NotSupportedException(
                $"messages[{index}] has a {(data is null ? nameof(UriContent) : nameof(DataContent))} of media type '{mediaType}'. " +
                "Qwen compatible mode accepts images (image/*) and videos (video/*) in user messages, and audio (audio/*) only for models that take audio: " +
                "Qwen-Omni (qwen-omni*, qwen3-omni*, qwen3.5-omni*) and speech recognition (qwen3-asr*). Other media (PDF, documents) is not supported. " +
                "If your model takes audio and the client does not know it yet, declare it: " +
                "QwenClientOptions.ModelCapabilities[\"<model id>\"] = QwenModelCapabilities.AudioInput.");
        }

        string url;
        if (data is not null)
        {
            CheckDataUriLength(mediaType, data, index);
            writer.WriteStartObject();
            writer.WriteString(Wire.ChatParameters.Fields.Type, partType);
            writer.WriteStartObject(partType);
            writer.WritePropertyName(Wire.ChatParameters.Fields.Url);
            WriteDataUri(writer, mediaType, data);
            writer.WriteEndObject();
            WriteCacheControl(writer, cacheControl);
            writer.WriteEndObject();
            return;
        }

        RefuseLocalFile(uri!, index, nameof(UriContent));
        url = uri!.IsAbsoluteUri ? uri.AbsoluteUri : throw new ArgumentException($"messages[{index}] has a UriContent with a relative URI '{uri}'; the service needs an absolute http, https or oss URL.", "messages");
        writer.WriteStartObject();
        writer.WriteString(Wire.ChatParameters.Fields.Type, partType);
        writer.WriteStartObject(partType);
        writer.WriteString(Wire.ChatParameters.Fields.Url, url);
        writer.WriteEndObject();
        WriteCacheControl(writer, cacheControl);
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
    /// Audio input (dashscope-more.md 5.2; the qwen3-asr chat page): <c>{"type":"input_audio","input_audio":{"data":"data:audio/wav;base64,...","format":"wav"}}</c>
    /// or the URL itself as <c>data</c>. The format comes from the media type, else (a URL under <c>audio/*</c>) from the URL's file
    /// extension; a URL whose format neither tells goes without <c>format</c>, which the service allows for URLs.
    /// </summary>
    private static void WriteInputAudio(Utf8JsonWriter writer, string mediaType, DataContent? data, Uri? uri, int index, AudioRule audio, bool cacheControl = false)
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

            if (audio == AudioRule.SpeechRecognition)
            {
                CheckSpeechRecognitionSize(mediaType, data, index);
            }

            CheckDataUriLength(mediaType, data, index);
        }
        else if (!uri!.IsAbsoluteUri)
        {
            throw new ArgumentException($"messages[{index}] has a UriContent with a relative URI '{uri}'; the service needs an absolute http, https or oss URL.", "messages");
        }
        else
        {
            RefuseLocalFile(uri, index, nameof(UriContent));
            format ??= AudioFormatFromPath(uri.AbsolutePath);
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
        WriteCacheControl(writer, cacheControl);
        writer.WriteEndObject();
    }

    /// <summary>
    /// qwen3-asr-flash takes at most 10 MB of audio, base64 included ("keep the encoded audio within the 10 MB limit"), and at most
    /// 5 minutes (checked by the service: the length of compressed audio cannot be known from its size).
    /// </summary>
    private static void CheckSpeechRecognitionSize(string mediaType, DataContent data, int index)
    {
        var length = "data:".Length + mediaType.Length + ";base64,".Length + ((data.Data.Length + 2L) / 3 * 4);
        if (length > MaxSpeechRecognitionAudioBytes)
        {
            throw new ArgumentException(
                $"messages[{index}] has {data.Data.Length:N0} bytes of {mediaType} audio for a speech-recognition model; as base64 that is {length:N0} bytes, " +
                $"over qwen3-asr's limit of 10 MB ({MaxSpeechRecognitionAudioBytes:N0} bytes, encoding included; at most 5 minutes of audio). " +
                "Send a shorter or more compressed file, or a UriContent with its URL.",
                "messages");
        }
    }

    /// <summary>The most audio, base64 included, a qwen3-asr request takes (10 MB).</summary>
    internal const int MaxSpeechRecognitionAudioBytes = 10 * 1024 * 1024;

    /// <summary>The <c>format</c> named by a URL path's extension (<c>.../cherry.wav</c> → <c>wav</c>), or null when it names no audio format the service lists.</summary>
    internal static string? AudioFormatFromPath(string path)
    {
        var dot = path.LastIndexOf('.');
        if (dot < 0 || dot < path.LastIndexOf('/'))
        {
            return null;
        }

        return path[(dot + 1)..].ToLowerInvariant() switch
        {
            "wav" or "wave" => "wav",
            "mp3" => "mp3",
            "amr" => "amr",
            "3gp" => "3gp",
            "3gpp" => "3gpp",
            "aac" => "aac",
            "m4a" => "m4a",
            "flac" => "flac",
            "ogg" => "ogg",
            "opus" => "opus",
            "webm" => "webm",
            "wma" => "wma",
            "aiff" or "aif" => "aiff",
            _ => null,
        };
    }

    /// <summary>How a model takes audio: not at all (refused), as Qwen-Omni, or as a speech-recognition model (with its size limit).</summary>
    private enum AudioRule
    {
        None,
        Omni,
        SpeechRecognition,
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
    /// The media type to send for <paramref name="data"/>: its own when concrete; for <c>image/*</c>, <c>*/*</c> or
    /// <c>application/octet-stream</c> the type sniffed from the bytes (PNG, JPEG, GIF, WebP, BMP, TIFF), else a clear refusal.
    /// </summary>
    private static string ConcreteMediaType(DataContent data, int index)
    {
        var declared = data.MediaType;
        if (!ImageTypeSniffer.IsNonConcrete(declared) || declared.StartsWith("audio/", StringComparison.OrdinalIgnoreCase))
        {
            // Audio has its own rules (Omni input_audio needs a concrete format; other models refuse audio).
            return declared;
        }

        if (ImageTypeSniffer.Sniff(data.Data.Span) is { } sniffed && !declared.StartsWith("video/", StringComparison.OrdinalIgnoreCase))
        {
            return sniffed;
        }

        throw new ArgumentException(
            $"messages[{index}] has a DataContent of media type '{declared}', which names no format, and its bytes are not a PNG, JPEG, GIF, WebP, BMP or TIFF image. " +
            "The service needs the concrete type: create the DataContent with it, e.g. new DataContent(bytes, \"image/png\") or \"video/mp4\".",
            "messages");
    }

    /// <summary>Refuses a <c>file://</c> URI: the service cannot read the caller's disk.</summary>
    private static void RefuseLocalFile(Uri uri, int index, string what)
    {
        if (uri.IsAbsoluteUri && uri.IsFile)
        {
            throw new ArgumentException(
                $"messages[{index}] has a {what} with the local file URI '{uri}'; the service cannot read local files. " +
                "Read the file and send its bytes: new DataContent(File.ReadAllBytes(path), \"image/png\") (or the file's media type).",
                "messages");
        }
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
        writer.WriteStringValue(ReferenceEquals(mediaType, data.MediaType) ? data.Uri : $"data:{mediaType};base64,{Convert.ToBase64String(data.Data.Span)}");
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

    private static void WriteAssistant(Utf8JsonWriter writer, ChatMessage message, int index, bool echoReasoning, HashSet<string>? answeredCallIds, ref HashSet<string>? callIds, bool cacheControl = false)
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
        writer.WriteString(Wire.ChatParameters.Fields.Role, Wire.ChatParameters.Values.Assistant);
        WriteTextContent(writer, hasText ? CollectAssistantText(message) : string.Empty, cacheControl);
        if (firstReasoning is not null)
        {
            writer.WriteString(Wire.ChatParameters.Fields.ReasoningContent, reasoning?.ToString() ?? firstReasoning);
        }

        if (hasCalls)
        {
            // Empty tool_calls is not supported by the service, so the array is written only when there is a call.
            writer.WriteStartArray(Wire.ChatParameters.Fields.ToolCalls);
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
                writer.WriteString(Wire.ChatParameters.Fields.Id, call.CallId);
                writer.WriteString(Wire.ChatParameters.Fields.Type, Wire.ChatParameters.Values.Function);
                writer.WriteStartObject(Wire.ChatParameters.Fields.Function);
                writer.WriteString(Wire.ChatParameters.Fields.Name, call.Name);
                writer.WriteString(Wire.ChatParameters.Fields.Arguments, call.Arguments is null ? "{}" : JsonValueWriter.ToJsonString(call.Arguments, $"messages[{index}] FunctionCallContent '{call.Name}' arguments"));
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteToolResults(Utf8JsonWriter writer, ChatMessage message, int index, HashSet<string>? callIds, CacheMarkers? cache = null)
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
            writer.WriteString(Wire.ChatParameters.Fields.Role, Wire.ChatParameters.Values.Tool);
            writer.WriteString(Wire.ChatParameters.Fields.ToolCallId, result.CallId);
            WriteTextContent(writer, ResultToText(result, index), cache?.Part(result) == true);
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
