namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// Qwen-Omni audio output (<c>audio.data</c>, base64) → <see cref="DataContent"/>s, one answer at a time (a non-streaming message,
/// or every delta of one stream). Base64 that does not end on a 4-character boundary is carried into the next piece, so pieces
/// need not be decodable alone; each <see cref="DataContent"/> holds exactly the bytes decoded so far (no header added or
/// stripped). The bytes are raw 16-bit PCM, 24 kHz mono, even when <c>format: "wav"</c> is asked (dashscope-more.md section 5):
/// the media type is <c>audio/wav</c> when the answer's first bytes are <c>RIFF....WAVE</c>, else <see cref="PcmMediaType"/>.
/// The first bytes are held back until there are 12 of them (or the answer ends), enough to tell. A spoken transcript in <c>audio.transcript</c> is surfaced as text (when the choice has no <c>content</c>) and kept on the
/// <see cref="DataContent"/>'s <c>AdditionalProperties["transcript"]</c>.
/// </summary>
internal sealed class AudioMapper
{
    /// <summary>The media type of headerless Qwen-Omni audio.</summary>
    public const string PcmMediaType = "audio/L16;rate=24000;channels=1";

    /// <summary>The media type of audio whose bytes start with a RIFF/WAVE header.</summary>
    public const string WavMediaType = "audio/wav";

    /// <summary>The bytes needed to tell a RIFF/WAVE header: until this many are decoded, the first bytes are held back.</summary>
    private const int HeaderLength = 12;

    private string _pending = string.Empty;
    private string? _mediaType;
    private byte[]? _head;

    /// <summary>Gets the media type chosen from the answer's first bytes, or null before any byte was decoded.</summary>
    public string? MediaType => _mediaType;

    /// <summary>Maps a whole (non-streaming) choice's audio.</summary>
    public static void AddComplete(List<AIContent> contents, ChoiceFrame choice)
    {
        var mapper = new AudioMapper();
        mapper.Add(contents, choice);
        mapper.Flush(contents);
    }

    /// <summary>Adds the transcript as text (when the choice has no content) and the audio decoded from this piece (when any).</summary>
    public void Add(List<AIContent> contents, ChoiceFrame choice)
    {
        var transcript = choice.AudioTranscript;
        if (!string.IsNullOrEmpty(transcript) && string.IsNullOrEmpty(choice.Content))
        {
            contents.Add(new TextContent(transcript));
        }

        var bytes = Hold(Decode(choice.AudioData, final: false), final: false);
        if (bytes.Length > 0)
        {
            contents.Add(NewContent(bytes, transcript));
        }
    }

    /// <summary>At the end of the answer: decodes what is left over (an unpadded last quantum), if anything.</summary>
    /// <exception cref="FormatException">The leftover is not base64.</exception>
    public void Flush(List<AIContent> contents)
    {
        var bytes = Hold(Decode(null, final: true), final: true);
        if (bytes.Length > 0)
        {
            contents.Add(NewContent(bytes, null));
        }
    }

    /// <summary>Until the media type is known, holds the first bytes back until there are enough to tell a WAV header (or the end).</summary>
    private byte[] Hold(byte[] bytes, bool final)
    {
        if (_mediaType is not null)
        {
            return bytes;
        }

        if (_head is not null)
        {
            bytes = [.. _head, .. bytes];
            _head = null;
        }

        if (bytes.Length < HeaderLength && !final)
        {
            _head = bytes.Length == 0 ? null : bytes;
            return [];
        }

        return bytes;
    }

    private DataContent NewContent(byte[] bytes, string? transcript)
    {
        _mediaType ??= IsWave(bytes) ? WavMediaType : PcmMediaType;
        var audio = new DataContent(bytes, _mediaType);
        if (!string.IsNullOrEmpty(transcript))
        {
            audio.AdditionalProperties = new() { [ResponseFields.Transcript] = transcript };
        }

        return audio;
    }

    private static bool IsWave(byte[] bytes) =>
        bytes.Length >= HeaderLength && bytes.AsSpan(0, 4).SequenceEqual("RIFF"u8) && bytes.AsSpan(8, 4).SequenceEqual("WAVE"u8);

    private byte[] Decode(string? data, bool final)
    {
        string text = _pending.Length == 0 ? data ?? string.Empty : string.Concat(_pending, data);
        if (text.AsSpan().IndexOfAny(" \t\r\n") >= 0)
        {
            text = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        }

        var usable = text.Length - (text.Length % 4);
        if (final && usable < text.Length)
        {
            // The last quantum may come without its padding.
            if (text.Length % 4 == 1)
            {
                _pending = string.Empty;
                throw new FormatException($"'{ResponseFields.Audio}.{ResponseFields.Data}' is not valid base64: it ends with a lone character.");
            }

            text += new string('=', 4 - (text.Length % 4));
            usable = text.Length;
        }

        _pending = text[usable..];
        if (usable == 0)
        {
            return [];
        }

        var output = new byte[usable / 4 * 3];
        var written = 0;
        var chars = text.AsSpan(0, usable);
        while (!chars.IsEmpty)
        {
            // Pieces that were each padded may be joined: decode up to the end of each padded quantum separately.
            var padding = chars.IndexOf('=');
            var take = padding < 0 ? chars.Length : Math.Min(chars.Length, ((padding / 4) + 1) * 4);
            if (!Convert.TryFromBase64Chars(chars[..take], output.AsSpan(written), out var count))
            {
                throw new FormatException($"'{ResponseFields.Audio}.{ResponseFields.Data}' is not valid base64.");
            }

            written += count;
            chars = chars[take..];
        }

        return written == output.Length ? output : output.AsSpan(0, written).ToArray();
    }
}
