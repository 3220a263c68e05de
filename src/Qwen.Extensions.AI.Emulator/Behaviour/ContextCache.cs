using System.Security.Cryptography;

namespace Qwen.Extensions.AI.Emulator.Behaviour;

/// <summary>
/// DashScope's context cache on chat completions, explicit and implicit, as dashscope-more.md section 3 documents it, per model and
/// on the emulator's clock (<see cref="QwenEmulatorOptions.TimeProvider"/>).
/// </summary>
/// <remarks>
/// <para><b>Explicit</b> (3.1, 3.2): a content part carrying <c>cache_control: {"type":"ephemeral"}</c> marks the end of a cache block
/// (everything from the start of <c>messages</c>, with the request's <c>tools</c>, up to and including that part). Only the last
/// <see cref="MaxMarkers"/> markers take effect (no error). A marker hits an unexpired block of the same model ending at it or at one of
/// the <see cref="LookbackBlocks"/> content blocks before it; the longest hit is reported as <c>cached_tokens</c> and its 5-minute
/// lifetime starts again. Each marked block of at least <see cref="ExplicitMinTokens"/> tokens that is not cached yet is created;
/// <c>cache_creation_input_tokens</c> is the increment over the hit ("only the increment is billed"). Only models the docs (and the
/// captures) list for explicit caching honour markers (<see cref="ModelCatalog.SupportsExplicitCache"/>); for others they are ignored.</para>
/// <para><b>Implicit</b> (3.1, 3.4): a request without (honoured) markers reuses the longest message prefix of at least
/// <see cref="ImplicitMinTokens"/> tokens that an earlier request of the same model sent; the docs do not guarantee a lifetime, the
/// emulator keeps 5 minutes, reset on a hit. The two are exclusive per request: an explicit request neither reads nor writes implicit entries.</para>
/// <para>Tokens are the emulator's own count (<see cref="TokenCounter"/>). Creation happens when the request is answered.</para>
/// </remarks>
internal sealed class ContextCache(TimeProvider timeProvider)
{
    public const int ExplicitMinTokens = 1024;
    public const int ImplicitMinTokens = 256;
    public const int LookbackBlocks = 20;
    public const int MaxMarkers = 4;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, Entry> _explicit = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> _implicit = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    /// <summary>Looks the request up, creates what it creates, and returns what its usage reports.</summary>
    public CacheResult Observe(RequestFacts facts)
    {
        var blocks = Blocks(facts);
        var markers = ModelCatalog.SupportsExplicitCache(facts.Model) ? blocks.FindAll(b => b.Marked) : [];
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            Purge(_explicit, now);
            Purge(_implicit, now);
            return markers.Count > 0 ? Explicit(markers.Count > MaxMarkers ? markers[^MaxMarkers..] : markers, blocks, now) : Implicit(blocks, now);
        }
    }

    private CacheResult Explicit(List<Block> markers, List<Block> blocks, DateTimeOffset now)
    {
        var hit = 0;
        string? hitKey = null;
        foreach (var marker in markers)
        {
            for (var j = marker.Index; j >= 0 && j >= marker.Index - LookbackBlocks; j--)
            {
                if (_explicit.ContainsKey(blocks[j].Key))
                {
                    if (blocks[j].Tokens > hit)
                    {
                        hit = blocks[j].Tokens;
                        hitKey = blocks[j].Key;
                    }

                    break;
                }
            }
        }

        if (hitKey is not null)
        {
            _explicit[hitKey] = _explicit[hitKey] with { Expires = now + Lifetime };
        }

        var created = 0;
        foreach (var marker in markers)
        {
            if (marker.Tokens >= ExplicitMinTokens && !_explicit.ContainsKey(marker.Key))
            {
                _explicit[marker.Key] = new Entry(marker.Tokens, now + Lifetime);
                created = Math.Max(created, marker.Tokens - hit);
            }
        }

        return new CacheResult(hit, created);
    }

    private CacheResult Implicit(List<Block> blocks, DateTimeOffset now)
    {
        var hit = 0;
        for (var i = blocks.Count - 1; i >= 0; i--)
        {
            var block = blocks[i];
            if (block.MessageEnd && block.Tokens >= ImplicitMinTokens && _implicit.TryGetValue(block.Key, out var entry))
            {
                hit = block.Tokens;
                _implicit[block.Key] = entry with { Expires = now + Lifetime };
                break;
            }
        }

        foreach (var block in blocks)
        {
            if (block.MessageEnd && block.Tokens >= ImplicitMinTokens && !_implicit.ContainsKey(block.Key))
            {
                _implicit[block.Key] = new Entry(block.Tokens, now + Lifetime);
            }
        }

        return new CacheResult(hit, null);
    }

    private static void Purge(Dictionary<string, Entry> entries, DateTimeOffset now)
    {
        foreach (var key in entries.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList())
        {
            entries.Remove(key);
        }
    }

    /// <summary>
    /// The request's content blocks in order (a string content is one block, each part of an array one), each with the hash of the
    /// model, the tools and everything up to it (markers left out, so a block is the same whether marked or not) and the tokens so far.
    /// </summary>
    private static List<Block> Blocks(RequestFacts facts)
    {
        var blocks = new List<Block>();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, facts.Model);
        var tokens = 0;
        if (facts.Root.TryGetProperty("tools", out var tools))
        {
            Append(hash, tools.GetRawText());
            tokens += TokenCounter.Count(tools.GetRawText());
        }

        foreach (var message in facts.Messages)
        {
            tokens += TokenCounter.TokensPerMessage;
            Append(hash, "\u0001" + message.Role);
            var first = blocks.Count;
            if (message.Raw.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in content.EnumerateArray())
                {
                    var marked = false;
                    foreach (var property in part.ValueKind == JsonValueKind.Object ? part.EnumerateObject() : default)
                    {
                        if (property.NameEquals("cache_control"))
                        {
                            marked = RequestFacts.Str(property.Value, "type") == "ephemeral";
                            continue;
                        }

                        Append(hash, property.Name + "=" + property.Value.GetRawText());
                    }

                    tokens += PartTokens(part);
                    blocks.Add(new Block(blocks.Count, Key(facts.Model, hash), tokens, marked, MessageEnd: false));
                }
            }
            else
            {
                // A string content is the same block as one text part with that text (the model sees the same tokens).
                Append(hash, "type=\"text\"");
                Append(hash, "text=" + (content.ValueKind == JsonValueKind.String ? content.GetRawText() : string.Empty));
                tokens += TokenCounter.Count(message.Text);
                blocks.Add(new Block(blocks.Count, Key(facts.Model, hash), tokens, Marked: false, MessageEnd: false));
            }

            // The rest of the message (tool_calls, tool_call_id, ...) belongs to its last block.
            foreach (var property in message.Raw.EnumerateObject())
            {
                if (!property.NameEquals("content") && !property.NameEquals("role"))
                {
                    Append(hash, property.Name + "=" + property.Value.GetRawText());
                }
            }

            if (message.Raw.TryGetProperty("tool_calls", out var calls))
            {
                tokens += TokenCounter.Count(calls.GetRawText());
            }

            if (blocks.Count == first)
            {
                blocks.Add(new Block(blocks.Count, Key(facts.Model, hash), tokens, Marked: false, MessageEnd: true));
            }
            else
            {
                blocks[^1] = blocks[^1] with { Key = Key(facts.Model, hash), Tokens = tokens, MessageEnd = true };
            }
        }

        return blocks;
    }

    private static int PartTokens(JsonElement part) => RequestFacts.Str(part, "type") switch
    {
        "text" => TokenCounter.Count(RequestFacts.Str(part, "text")),
        "image_url" or "video_url" => TokenCounter.TokensPerMedia,
        "video" when part.TryGetProperty("video", out var frames) && frames.ValueKind == JsonValueKind.Array => TokenCounter.TokensPerMedia * frames.GetArrayLength(),
        _ => 0,
    };

    private static void Append(IncrementalHash hash, string text)
    {
        hash.AppendData(Encoding.UTF8.GetBytes(text));
        hash.AppendData("\n"u8);
    }

    private static string Key(string model, IncrementalHash hash) => model + "/" + Convert.ToBase64String(hash.GetCurrentHash());

    private readonly record struct Entry(int Tokens, DateTimeOffset Expires);

    private readonly record struct Block(int Index, string Key, int Tokens, bool Marked, bool MessageEnd);
}

/// <summary>What a request's usage reports: <c>cached_tokens</c>, and for an explicit-cache request the tokens written (<see langword="null"/> otherwise).</summary>
internal readonly record struct CacheResult(int Cached, int? Created);
