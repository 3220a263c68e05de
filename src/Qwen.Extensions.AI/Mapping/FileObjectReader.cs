using static Qwen.Extensions.AI.Mapping.CompletionJsonReader;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// Reads the Files API's answers in one <see cref="Utf8JsonReader"/> pass each (dashscope-more.md §7.1): a file object
/// <c>{"id","object":"file","bytes","filename","purpose","status","created_at"}</c>, a list <c>{"object":"list","data":[...],"has_more"}</c>
/// and a delete result <c>{"id","object":"file","deleted"}</c>. Unknown fields are skipped; an <c>error</c> object or a native
/// <c>{"code","message"}</c> body is kept for the caller to report. Lenient where nothing is captured: numbers sent as strings are read,
/// a missing <c>status</c> stays <see langword="null"/>.
/// </summary>
internal static class FileObjectReader
{
    /// <summary>One file object (or delete result), or an error.</summary>
    internal sealed class FileObject
    {
        public string? Id { get; set; }

        public string? Object { get; set; }

        public long? Bytes { get; set; }

        public string? FileName { get; set; }

        public string? Purpose { get; set; }

        public string? Status { get; set; }

        public long? CreatedAt { get; set; }

        public bool? Deleted { get; set; }

        public ErrorDetail? Error { get; set; }

        public string? NativeCode { get; set; }

        public string? NativeMessage { get; set; }
    }

    /// <summary>One page of a list, or an error.</summary>
    internal sealed class FileList
    {
        public List<FileObject> Data { get; } = [];

        public bool HasData { get; set; }

        public bool HasMore { get; set; }

        public ErrorDetail? Error { get; set; }

        public string? NativeCode { get; set; }

        public string? NativeMessage { get; set; }
    }

    /// <summary>Parses a file object or a delete result.</summary>
    public static FileObject ReadFile(ReadOnlySpan<byte> json)
    {
        var reader = Start(json);
        var file = new FileObject();
        ReadFileFields(ref reader, file);
        return file;
    }

    /// <summary>Parses one page of a list.</summary>
    public static FileList ReadList(ReadOnlySpan<byte> json)
    {
        var reader = Start(json);
        var list = new FileList();
        while (ReadProperty(ref reader))
        {
            if (reader.ValueTextEquals(ResponseFields.Utf8.Data))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                Expect(ref reader, JsonTokenType.StartArray, ResponseFields.Data);
                list.HasData = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    Expect(ref reader, JsonTokenType.StartObject, ResponseFields.Data);
                    var file = new FileObject();
                    ReadFileFields(ref reader, file);
                    list.Data.Add(file);
                }
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.HasMore))
            {
                reader.Read();
                list.HasMore = ReadBoolean(ref reader, ResponseFields.HasMore) ?? false;
            }
            else if (!TryReadError(ref reader, out var error, out var code, out var message))
            {
                reader.Read();
                reader.Skip();
            }
            else
            {
                list.Error ??= error;
                list.NativeCode ??= code;
                list.NativeMessage ??= message;
            }
        }

        return list;
    }

    private static Utf8JsonReader Start(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The body is not a JSON object.");
        }

        return reader;
    }

    /// <summary>Reads the properties of the object the reader is at, up to its end.</summary>
    private static void ReadFileFields(ref Utf8JsonReader reader, FileObject file)
    {
        while (ReadProperty(ref reader))
        {
            if (reader.ValueTextEquals(ResponseFields.Utf8.Id))
            {
                reader.Read();
                file.Id = ReadString(ref reader, ResponseFields.Id);
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.Object))
            {
                reader.Read();
                file.Object = reader.TokenType == JsonTokenType.String ? reader.GetString() : SkipValue(ref reader);
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.Bytes))
            {
                reader.Read();
                file.Bytes = ReadLooseInteger(ref reader, ResponseFields.Bytes);
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.Filename))
            {
                reader.Read();
                file.FileName = ReadString(ref reader, ResponseFields.Filename);
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.Purpose))
            {
                reader.Read();
                file.Purpose = ReadString(ref reader, ResponseFields.Purpose);
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.Status))
            {
                reader.Read();
                file.Status = ReadString(ref reader, ResponseFields.Status);
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.CreatedAt))
            {
                reader.Read();
                file.CreatedAt = ReadLooseInteger(ref reader, ResponseFields.CreatedAt);
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.Deleted))
            {
                reader.Read();
                file.Deleted = ReadBoolean(ref reader, ResponseFields.Deleted);
            }
            else if (TryReadError(ref reader, out var error, out var code, out var message))
            {
                file.Error ??= error;
                file.NativeCode ??= code;
                file.NativeMessage ??= message;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>At a property name: reads <c>error</c>, <c>code</c> or <c>message</c> (and returns true), or leaves the reader where it is.</summary>
    private static bool TryReadError(ref Utf8JsonReader reader, out ErrorDetail? error, out string? code, out string? message)
    {
        error = null;
        code = null;
        message = null;
        if (reader.ValueTextEquals(ResponseFields.Utf8.Error))
        {
            reader.Read();
            error = reader.TokenType switch
            {
                JsonTokenType.StartObject => JsonSerializer.Deserialize(ref reader, QwenJsonContext.Default.ErrorDetail),
                JsonTokenType.String => new ErrorDetail { Message = reader.GetString() },
                _ => SkipError(ref reader),
            };
            return true;
        }

        if (reader.ValueTextEquals(ResponseFields.Utf8.Code))
        {
            reader.Read();
            code = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                _ => SkipValue(ref reader),
            };
            return true;
        }

        if (reader.ValueTextEquals(ResponseFields.Utf8.Message))
        {
            reader.Read();
            message = reader.TokenType == JsonTokenType.String ? reader.GetString() : SkipValue(ref reader);
            return true;
        }

        return false;
    }

    private static long? ReadLooseInteger(ref Utf8JsonReader reader, string field) =>
        reader.TokenType == JsonTokenType.String
            ? long.TryParse(reader.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw new JsonException($"'{field}' should be a whole number.")
            : ReadInteger(ref reader);

    private static bool? ReadBoolean(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Null => null,
        _ => throw new JsonException($"'{field}' should be true or false but is {reader.TokenType}."),
    };

    private static ErrorDetail? SkipError(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }
}
