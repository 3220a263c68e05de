namespace Qwen.Extensions.AI.Wire;

/// <summary>
/// The Files API of compatible mode (<c>{endpoint}/files</c>; shared/docs/dashscope-more.md §7): the only place its paths, form
/// fields, query names, purposes and limits are written. <see cref="QwenFileClient"/> validates and sends through these; the file
/// object's field names live in <see cref="ResponseFields"/>.
/// </summary>
internal static class FileParameters
{
    /// <summary>The endpoint path, relative to the base URL.</summary>
    public const string EndpointPath = "files";

    /// <summary>The path segment after a file id that returns its bytes: <c>files/{id}/content</c>.</summary>
    public const string ContentSegment = "content";

    /// <summary>The multipart field that carries the file's bytes (with its file name).</summary>
    public const string FileField = "file";

    /// <summary>The multipart field (and list query parameter) that carries the purpose.</summary>
    public const string PurposeField = "purpose";

    /// <summary>The purpose of documents read by qwen-long and qwen-doc-turbo.</summary>
    public const string FileExtract = "file-extract";

    /// <summary>The purpose of Batch API inputs (documented; the client does not check their format).</summary>
    public const string Batch = "batch";

    /// <summary>The list query parameters: a page size, the id to continue after, and DashScope's <c>yyyyMMdd</c> date filters.</summary>
    public const string Limit = "limit";
    public const string After = "after";
    public const string CreateAfter = "create_after";
    public const string CreateBefore = "create_before";

    /// <summary>The status of a file the models can read ("status was processed immediately", captured).</summary>
    public const string Processed = "processed";

    /// <summary>The scheme of a system message that references a file: <c>fileid://file-fe-...</c>.</summary>
    public const string FileIdScheme = ChatParameters.Values.FileIdScheme;

    /// <summary>"at most 100 file IDs" per request (qwen-long doc).</summary>
    public const int MaxFileIdsPerRequest = 100;

    /// <summary>At most 150 MB per file.</summary>
    public const long MaxFileBytes = 150L * 1024 * 1024;

    /// <summary>At most 20 MB per image.</summary>
    public const long MaxImageBytes = 20L * 1024 * 1024;

    /// <summary>The formats <c>file-extract</c> takes (§7.2), by extension, with the media type the client sends for each.</summary>
    public static readonly IReadOnlyDictionary<string, string> FileExtractFormats = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = "text/plain",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".pdf"] = "application/pdf",
        [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        [".epub"] = "application/epub+zip",
        [".mobi"] = "application/x-mobipocket-ebook",
        [".md"] = "text/markdown",
        [".csv"] = "text/csv",
        [".json"] = "application/json",
        [".bmp"] = "image/bmp",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
    };

    /// <summary>The extensions of <see cref="FileExtractFormats"/>, for messages.</summary>
    public const string FileExtractExtensionList = "txt, docx, pdf, xlsx, epub, mobi, md, csv, json, bmp, png, jpg, jpeg, gif";
}
