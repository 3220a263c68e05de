namespace Qwen.Extensions.AI.Emulator.Behaviour;

/// <summary>
/// How the emulator "reads" the documents a qwen-long / qwen-doc-turbo request references with <c>fileid://</c>: it answers with
/// the sentence of the documents that shares the most words with the question (quoted, with the file name), or with the first
/// line of each document when asked for a summary or when no sentence matches. Only text formats (txt, md, csv, json) are read;
/// other formats are acknowledged by name and size. Deterministic, so a test can show the answer comes from the document.
/// </summary>
internal static partial class DocumentReader
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "with", "that", "this", "what", "which", "who", "whom", "does", "did", "are", "was", "were", "about",
        "how", "many", "much", "from", "document", "documents", "file", "files", "say", "says", "tell", "according", "please",
        "when", "where", "why", "can", "you", "its", "there", "their", "have", "has", "into", "than", "then", "them", "they",
    };

    public static string Answer(IReadOnlyList<StoredFile> documents, string prompt)
    {
        var readable = documents.Where(d => !string.IsNullOrWhiteSpace(d.Text)).ToList();
        if (readable.Count == 0)
        {
            return $"The emulator received {string.Join(", ", documents.Select(d => $"{d.FileName} ({d.Bytes.Length} bytes)"))} but reads only text formats " +
                $"({string.Join(", ", StoredFile.TextExtensions.Select(e => e[1..]))}), so it cannot say what {(documents.Count == 1 ? "it says" : "they say")}.";
        }

        var keywords = Words(prompt).Where(w => w.Length >= 3 && !StopWords.Contains(w)).Distinct().ToList();
        var wantsSummary = prompt.Contains("summar", StringComparison.OrdinalIgnoreCase) || keywords.Count == 0;
        if (!wantsSummary && Best(readable, keywords) is { } best)
        {
            return $"According to {best.Document.FileName}: \"{best.Sentence}\"";
        }

        var openings = string.Join(" ", readable.Select(d => $"{d.FileName} begins: \"{FirstLine(d.Text!)}\""));
        return wantsSummary ? openings : $"The documents do not mention {string.Join(", ", keywords)}. {openings}";
    }

    /// <summary>The sentence with the most of <paramref name="keywords"/> (a shared word, or a shared 5-letter stem); the earliest on a tie.</summary>
    private static (StoredFile Document, string Sentence)? Best(List<StoredFile> documents, List<string> keywords)
    {
        (StoredFile Document, string Sentence)? best = null;
        var bestScore = 0;
        foreach (var document in documents)
        {
            foreach (var sentence in Sentences(document.Text!))
            {
                var words = Words(sentence).ToHashSet(StringComparer.Ordinal);
                var score = keywords.Count(k => words.Contains(k) || (k.Length >= 5 && words.Any(w => w.Length >= 5 && w.AsSpan(0, 5).SequenceEqual(k.AsSpan(0, 5)))));
                if (score > bestScore)
                {
                    bestScore = score;
                    best = (document, sentence);
                }
            }
        }

        return best;
    }

    private static IEnumerable<string> Sentences(string text) =>
        SentenceEnd().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0);

    private static string FirstLine(string text) =>
        text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? string.Empty;

    private static IEnumerable<string> Words(string text) =>
        Word().Matches(text).Select(m => m.Value.ToLowerInvariant());

    /// <summary>After a sentence's end mark (kept with the sentence) or at a line break.</summary>
    [GeneratedRegex(@"(?<=[.!?。！？])\s+|\r?\n+", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();
}
