using System.Security.Cryptography;

namespace Qwen.Extensions.AI.Emulator.Behaviour;

/// <summary>One uploaded file.</summary>
/// <param name="Id">The id, <c>file-fe-</c> plus 24 hex digits for <c>file-extract</c> (the captured shape), <c>file-batch-</c> plus hex for <c>batch</c>.</param>
/// <param name="FileName">The multipart file name.</param>
/// <param name="Purpose">The purpose.</param>
/// <param name="Bytes">The content.</param>
/// <param name="CreatedAt">Unix seconds.</param>
internal sealed record StoredFile(string Id, string FileName, string Purpose, byte[] Bytes, long CreatedAt)
{
    /// <summary>The extensions whose bytes the emulator reads as UTF-8 text; other formats are stored but not read.</summary>
    public static readonly string[] TextExtensions = [".txt", ".md", ".csv", ".json"];

    /// <summary>Gets the document's text, or <see langword="null"/> for a format the emulator does not read (PDF, DOCX, images, ...).</summary>
    public string? Text =>
        TextExtensions.Contains(Path.GetExtension(FileName), StringComparer.OrdinalIgnoreCase)
            ? Encoding.UTF8.GetString(Bytes).TrimStart('\uFEFF')
            : null;
}

/// <summary>The emulator's file storage (dashscope-more.md §7): in memory, for the emulator's lifetime, in upload order.</summary>
internal sealed class FileStore
{
    private readonly List<StoredFile> _files = [];
    private readonly object _lock = new();

    public StoredFile Add(string fileName, string purpose, byte[] bytes)
    {
        var prefix = purpose == "file-extract" ? "file-fe-" : $"file-{purpose}-";
        var file = new StoredFile(prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant(), fileName, purpose, bytes, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        lock (_lock)
        {
            _files.Add(file);
        }

        return file;
    }

    public StoredFile? Find(string id)
    {
        lock (_lock)
        {
            return _files.Find(f => string.Equals(f.Id, id, StringComparison.Ordinal));
        }
    }

    public bool Delete(string id)
    {
        lock (_lock)
        {
            return _files.RemoveAll(f => string.Equals(f.Id, id, StringComparison.Ordinal)) > 0;
        }
    }

    /// <summary>One page of files matching the filters, after <paramref name="after"/> (by upload order), and whether more follow.</summary>
    public (List<StoredFile> Page, bool HasMore) List(string? after, int limit, string? purpose, DateOnly? createdAfter, DateOnly? createdBefore)
    {
        List<StoredFile> matching;
        lock (_lock)
        {
            matching = [.. _files.Where(f => (purpose is null || f.Purpose == purpose) && InRange(f, createdAfter, createdBefore))];
        }

        var start = 0;
        if (after is not null)
        {
            var at = matching.FindIndex(f => f.Id == after);
            start = at < 0 ? matching.Count : at + 1;
        }

        var page = matching.Skip(start).Take(limit).ToList();
        return (page, start + page.Count < matching.Count);
    }

    private static bool InRange(StoredFile file, DateOnly? after, DateOnly? before)
    {
        var day = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(file.CreatedAt).UtcDateTime);
        return (after is null || day >= after) && (before is null || day <= before);
    }
}
