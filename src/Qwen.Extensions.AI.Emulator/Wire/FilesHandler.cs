using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Qwen.Extensions.AI.Emulator.Behaviour;

namespace Qwen.Extensions.AI.Emulator.Wire;

/// <summary>
/// Serves the Files API under <c>/compatible-mode/v1/files</c> (shared/docs/dashscope-more.md §7): a multipart upload (fields
/// <c>file</c> and <c>purpose</c>) answered with the captured file object (<c>status:"processed"</c> at once), list (<c>after</c>,
/// <c>limit</c>, <c>purpose</c>, <c>create_after</c>/<c>create_before</c> as <c>yyyyMMdd</c>), retrieve, delete and content. Checks what
/// §7.2 documents (purposes, formats, sizes) with 400 bodies, and 404 for an unknown id. A scripted reply's faults (error, raw body,
/// delay, disconnect, cut, headers) apply as for chat.
/// </summary>
internal sealed class FilesHandler
{
    public const string FilesPath = "/compatible-mode/v1/files";

    /// <summary>The formats §7.2 lists for <c>file-extract</c>.</summary>
    public static readonly string[] FileExtractExtensions = [".txt", ".docx", ".pdf", ".xlsx", ".epub", ".mobi", ".md", ".csv", ".json", ".bmp", ".png", ".jpg", ".jpeg", ".gif"];

    private static readonly string[] ImageExtensions = [".bmp", ".png", ".jpg", ".jpeg", ".gif"];

    private const long MaxFileBytes = 150L * 1024 * 1024;
    private const long MaxImageBytes = 20L * 1024 * 1024;
    private const int DefaultListLimit = 20;
    private const int MaxListLimit = 100;

    private readonly FileStore _store;

    public FilesHandler(FileStore store) => _store = store;

    /// <summary>Whether <paramref name="path"/> (without a trailing slash) is this handler's.</summary>
    public static bool Serves(string path) =>
        string.Equals(path, FilesPath, StringComparison.Ordinal) || path.StartsWith(FilesPath + "/", StringComparison.Ordinal);

    public async Task ExecuteAsync(HttpContext context, RecordedRequest recorded, EmulatorReply reply, CancellationToken cancellationToken)
    {
        if (!await ChatCompletionsHandler.StartReplyAsync(context, reply, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var response = context.Response;
        if (reply.Error is { } error)
        {
            await ChatCompletionsHandler.WriteErrorAsync(context, reply.StatusCode, error, recorded.RequestId).ConfigureAwait(false);
            return;
        }

        if (reply.RawBody is { } raw)
        {
            response.StatusCode = reply.StatusCode;
            response.ContentType = reply.ContentType;
            await ChatCompletionsHandler.WriteBodyAsync(context, raw, reply.CutAfterEvents, reply.DelayBetweenEvents, cancellationToken).ConfigureAwait(false);
            return;
        }

        var path = recorded.Path.TrimEnd('/');
        var rest = path.Length > FilesPath.Length ? path[(FilesPath.Length + 1)..] : string.Empty;
        var segments = rest.Length == 0 ? [] : rest.Split('/');
        var method = context.Request.Method;
        (int Status, byte[] Body, string ContentType) answer = segments switch
        {
            [] when HttpMethods.IsPost(method) => await UploadAsync(context.Request, recorded, cancellationToken).ConfigureAwait(false),
            [] when HttpMethods.IsGet(method) => List(context.Request.Query, recorded.RequestId),
            [var id] when HttpMethods.IsGet(method) => Find(Uri.UnescapeDataString(id), recorded.RequestId, f => Json(200, FileObject(f))),
            [var id] when HttpMethods.IsDelete(method) => Delete(Uri.UnescapeDataString(id), recorded.RequestId),
            [var id, "content"] when HttpMethods.IsGet(method) => Find(Uri.UnescapeDataString(id), recorded.RequestId, f => (200, f.Bytes, "application/octet-stream")),
            _ => Error(404, new EmulatorError("NotFound", $"The emulator serves POST/GET {FilesPath}, GET/DELETE {FilesPath}/{{id}} and GET {FilesPath}/{{id}}/content; got {method} {recorded.Path}.", "NotFound"), recorded.RequestId),
        };

        response.StatusCode = answer.Status == 200 ? reply.StatusCode : answer.Status;
        response.ContentType = answer.ContentType;
        await ChatCompletionsHandler.WriteBodyAsync(context, answer.Body, reply.CutAfterEvents, reply.DelayBetweenEvents, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The answer to a chat request's unknown <c>fileid://</c> reference: a 400 like the service's invalid-parameter errors.</summary>
    public static EmulatorError UnknownFileInChat(string id) =>
        new("invalid_parameter_error", $"<400> InternalError.Algo.InvalidParameter: File [{id}] not found: the id is unknown or the file was deleted.", "invalid_request_error", "messages");

    private async Task<(int, byte[], string)> UploadAsync(HttpRequest request, RecordedRequest recorded, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !string.Equals(contentType.MediaType.Value, "multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Bad("The request must be multipart/form-data with the fields 'file' and 'purpose'.", null, recorded.RequestId);
        }

        string? purpose = null;
        string? fileName = null;
        byte[]? bytes = null;
        try
        {
            var reader = new MultipartReader(boundary, new MemoryStream(recorded.Body.ToArray())) { BodyLengthLimit = null };
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !(disposition.IsFormDisposition() || disposition.IsFileDisposition()))
                {
                    continue;
                }

                using var buffer = new MemoryStream();
                await section.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                switch (HeaderUtilities.RemoveQuotes(disposition.Name).Value)
                {
                    case "purpose":
                        purpose = Encoding.UTF8.GetString(buffer.ToArray()).Trim();
                        break;
                    case "file":
                        fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                        bytes = buffer.ToArray();
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            return Bad("The multipart body is malformed: " + ex.Message, null, recorded.RequestId);
        }

        if (string.IsNullOrEmpty(purpose))
        {
            return Bad("Missing required parameter: 'purpose'.", "purpose", recorded.RequestId);
        }

        if (purpose is not ("file-extract" or "batch"))
        {
            return Bad($"Invalid value for 'purpose': '{purpose}'. Supported values are 'file-extract' and 'batch'.", "purpose", recorded.RequestId);
        }

        if (bytes is null || string.IsNullOrEmpty(fileName))
        {
            return Bad("Missing required parameter: 'file' (a file part with a filename).", "file", recorded.RequestId);
        }

        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (purpose == "file-extract" && !FileExtractExtensions.Contains(extension))
        {
            return Bad($"Unsupported file format '{extension}' for purpose 'file-extract'. Supported: {string.Join(", ", FileExtractExtensions.Select(e => e[1..]))}.", "file", recorded.RequestId);
        }

        if (bytes.Length == 0)
        {
            return Bad("The file is empty.", "file", recorded.RequestId);
        }

        var isImage = ImageExtensions.Contains(extension);
        if (bytes.Length > (isImage ? MaxImageBytes : MaxFileBytes))
        {
            return Bad($"The file is larger than {(isImage ? "20 MB (images)" : "150 MB")}.", "file", recorded.RequestId);
        }

        return Json(200, FileObject(_store.Add(fileName, purpose, bytes)));
    }

    private (int, byte[], string) List(IQueryCollection query, string requestId)
    {
        var limit = DefaultListLimit;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxListLimit))
        {
            return Bad($"Invalid value for 'limit': '{limitText}'. It must be an integer from 1 to {MaxListLimit}.", "limit", requestId);
        }

        DateOnly? createdAfter = null;
        DateOnly? createdBefore = null;
        foreach (var (name, target) in new[] { ("create_after", 0), ("create_before", 1) })
        {
            if (!query.TryGetValue(name, out var text))
            {
                continue;
            }

            if (!DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return Bad($"Invalid value for '{name}': '{text}'. Expected a date as yyyyMMdd.", name, requestId);
            }

            if (target == 0)
            {
                createdAfter = date;
            }
            else
            {
                createdBefore = date;
            }
        }

        var purpose = query.TryGetValue("purpose", out var p) ? p.ToString() : null;
        var after = query.TryGetValue("after", out var a) ? a.ToString() : null;
        var (page, hasMore) = _store.List(after, limit, purpose, createdAfter, createdBefore);
        return Json(200, CompletionWriter.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            foreach (var file in page)
            {
                WriteFile(w, file);
            }

            w.WriteEndArray();
            w.WriteBoolean("has_more", hasMore);
            w.WriteEndObject();
        }));
    }

    private (int, byte[], string) Delete(string id, string requestId) =>
        _store.Delete(id)
            ? Json(200, CompletionWriter.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteString("object", "file");
                w.WriteBoolean("deleted", true);
                w.WriteEndObject();
            }))
            : NotFound(id, requestId);

    private (int, byte[], string) Find(string id, string requestId, Func<StoredFile, (int, byte[], string)> answer) =>
        _store.Find(id) is { } file ? answer(file) : NotFound(id, requestId);

    private static (int, byte[], string) NotFound(string id, string requestId) =>
        Error(404, new EmulatorError("invalid_request_error", $"No such file: '{id}'.", "invalid_request_error", "file_id"), requestId);

    private static (int, byte[], string) Bad(string message, string? param, string requestId) =>
        Error(400, new EmulatorError("invalid_parameter_error", message, "invalid_request_error", param), requestId);

    private static (int, byte[], string) Error(int status, EmulatorError error, string requestId) =>
        (status, CompletionWriter.ErrorBody(error, requestId), "application/json");

    private static (int, byte[], string) Json(int status, byte[] body) => (status, body, "application/json");

    /// <summary>The captured file object: <c>{"id","object":"file","bytes","filename","purpose","status":"processed","created_at"}</c>.</summary>
    private static byte[] FileObject(StoredFile file) => CompletionWriter.Write(w => WriteFile(w, file));

    private static void WriteFile(Utf8JsonWriter w, StoredFile file)
    {
        w.WriteStartObject();
        w.WriteString("id", file.Id);
        w.WriteString("object", "file");
        w.WriteNumber("bytes", file.Bytes.Length);
        w.WriteString("filename", file.FileName);
        w.WriteString("purpose", file.Purpose);
        w.WriteString("status", "processed");
        w.WriteNumber("created_at", file.CreatedAt);
        w.WriteEndObject();
    }
}
