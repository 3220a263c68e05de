namespace Qwen.Extensions.AI.Emulator.Behaviour;

/// <summary>A deterministic stand-in for a tokenizer: a word, a number or a punctuation mark is one token.</summary>
internal static partial class TokenCounter
{
    public const int TokensPerMessage = 4;

    public const int TokensPerMedia = 256;

    public static int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : Token().Count(text);

    public static int Count(MessageFact message) => TokensPerMessage + Count(message.Text) + (TokensPerMedia * message.Media.Count)
        + (message.Raw.TryGetProperty("tool_calls", out var calls) ? Count(calls.GetRawText()) : 0);

    /// <summary>The tokens of an audio URL, which the emulator does not fetch.</summary>
    public const int TokensPerAudioUrl = 25;

    /// <summary>
    /// The tokens of one <c>input_audio</c> part: 1 per 1,000 bytes of a data URI's audio (at least 1), <see cref="TokensPerAudioUrl"/>
    /// for a URL. The service counts by duration (7 tokens a second on Qwen3.5-Omni, dashscope-more.md 5.3), which the emulator cannot know.
    /// </summary>
    public static int CountAudio(string data) =>
        data.StartsWith("data:", StringComparison.Ordinal) ? Math.Max(1, DefaultResponder.AudioBytes(data) / 1000) : TokensPerAudioUrl;

    /// <summary>The first <paramref name="maxTokens"/> tokens of <paramref name="text"/> (with the whitespace between them).</summary>
    public static string Truncate(string text, int maxTokens)
    {
        var count = 0;
        foreach (var match in Token().EnumerateMatches(text))
        {
            if (++count > maxTokens)
            {
                return text[..match.Index].TrimEnd();
            }
        }

        return text;
    }

    [GeneratedRegex(@"[\p{L}\p{M}]+|\p{N}+|[^\s\p{L}\p{M}\p{N}]", RegexOptions.CultureInvariant)]
    private static partial Regex Token();
}
