using System.Collections.Concurrent;
using static Qwen.Extensions.AI.QwenModelCapabilities;

namespace Qwen.Extensions.AI.Wire;

/// <summary>
/// The one table of what each model does (<see cref="QwenModelCapabilities"/>), with the user's additions from
/// <see cref="QwenClientOptions.ModelCapabilities"/> in front of it. Every per-model decision reads <see cref="Get"/>.
/// </summary>
/// <remarks>
/// Patterns are model ids, matched without regard to case; <c>*</c> matches any run of characters (<c>qwen3.8-*</c>). For an id the
/// user's entries are searched first, then the built-in rows; within each, an exact id wins over patterns and a longer pattern
/// over a shorter one. An id ending in <c>-us</c> (the Virginia deployments, e.g. <c>qwen-plus-us</c>) that matches nothing
/// resolves as the id without the suffix. Unknown ids resolve to <see cref="QwenModelCapabilities.None"/>, the safe behaviour.
/// Sources are the notes on each row: dashscope-more.md sections 3–6 and wire-mapping.md; where a doc marks a fact uncertain, the
/// row says so and takes the conservative side.
/// </remarks>
internal sealed class ModelFacts
{
    private const QwenModelCapabilities Omni = StreamOnly | AudioInput;
    private const QwenModelCapabilities Reasoner = StreamOnly | ThinkingOnly;

    /// <summary>The built-in rows: pattern → capabilities. Kept in one place so a fact changes in one row.</summary>
    internal static readonly KeyValuePair<string, QwenModelCapabilities>[] BuiltIn =
    [
        // Stream-only reasoners (wire-mapping.md "stream-only model"): QwQ, QVQ.
        new("qwq*", Reasoner),
        new("qvq*", Reasoner),

        // Open-source thinking-only variants (seeds 000-002: qwen3-vl-*-thinking, qwen3-*-thinking-2507, qwen3-next-*-thinking).
        new("qwen3-*-thinking*", ThinkingOnly),

        // Qwen-Omni (dashscope-more.md 5: streaming only, input_audio). Qwen3-Omni-Flash thinking is off by default (4.1).
        new("qwen-omni*", Omni),
        new("qwen3-omni*", Omni),
        new("qwen3.5-omni*", Omni),

        // Speech recognition (issue 13 item 6): qwen3-asr-flash and its snapshots take input_audio on chat (docs.qwencloud.com
        // "OpenAI compatible ASR"; Alibaba's Qwen-ASR API reference, Jan 2026, which also says the US region has no compatible
        // mode: MessageWriter/ChatRequestWriter refuse -us ids and the Virginia endpoint). qwen3-asr-flash-filetrans is
        // "DashScope asynchronous only", so it takes nothing on chat.
        new("qwen3-asr*", SpeechRecognition | AudioInput),
        new("qwen3-asr-flash-filetrans*", None),

        // Commercial models. Structured output (6.2: JSON Schema list Feb/Mar 2026 + Vercel's 3.7/3.8 prefixes), explicit cache
        // (3.3: International list; qwen3.6-plus and qwen3.8-max from captures), default thinking (4.1: 3.5 on, 3.7/3.8 on),
        // JSON mode with thinking (6.2 live probes: 3.7/3.8 accept; older models refuse), reasoning_effort (4.2: honoured on
        // qwen3.8-*; accepted but ignored on 3.7-flash and 3.5 [uncertain], so not sent there), preserve_thinking (4.4 list).
        new("qwen3-max*", JsonSchema),
        new("qwen3-max", JsonSchema | ExplicitCache),
        new("qwen-plus*", JsonSchema),
        new("qwen-plus", JsonSchema | ExplicitCache),
        new("qwen-flash*", JsonSchema),
        new("qwen-flash", JsonSchema | ExplicitCache),
        new("qwen3-coder-plus", ExplicitCache),
        new("qwen3-coder-flash", ExplicitCache),
        new("qwen3-vl-plus", ExplicitCache),
        new("deepseek-v3.2", JsonSchema | ExplicitCache),
        new("qwen3.5-plus*", ThinkingByDefault | JsonSchema),
        new("qwen3.5-plus", ThinkingByDefault | JsonSchema | ExplicitCache),
        new("qwen3.5-flash*", ThinkingByDefault | JsonSchema),
        new("qwen3.5-flash", ThinkingByDefault | JsonSchema | ExplicitCache),
        new("qwen3.5-*", ThinkingByDefault),
        new("qwen3.6-*", ThinkingByDefault),
        new("qwen3.6-plus", ThinkingByDefault | PreserveThinking | ExplicitCache),
        new("qwen3.6-plus-2026-04-02", ThinkingByDefault | PreserveThinking),
        new("qwen3.6-max-preview", ThinkingByDefault | PreserveThinking),
        new("qwen3.7-*", ThinkingByDefault | JsonSchema | JsonModeWithThinking),
        new("qwen3.7-flash", ThinkingByDefault | JsonSchema | JsonModeWithThinking | PreserveThinking),
        new("qwen3.7-flash-2026-07-15", ThinkingByDefault | JsonSchema | JsonModeWithThinking | PreserveThinking),
        new("qwen3.7-max*", ThinkingByDefault | JsonSchema | JsonModeWithThinking | PreserveThinking),
        new("qwen3.7-plus", ThinkingByDefault | JsonSchema | JsonModeWithThinking | PreserveThinking),
        new("qwen3.7-plus-2026-05-26", ThinkingByDefault | JsonSchema | JsonModeWithThinking | PreserveThinking),
        new("qwen3.8-*", ThinkingByDefault | JsonSchema | JsonModeWithThinking | ReasoningTiers),
        new("qwen3.8-max", ThinkingByDefault | JsonSchema | JsonModeWithThinking | ReasoningTiers | PreserveThinking | ExplicitCache),
        new("qwen3.8-max-0902", ThinkingByDefault | JsonSchema | JsonModeWithThinking | ReasoningTiers | PreserveThinking),
        new("qwen3.8-flash", ThinkingByDefault | JsonSchema | JsonModeWithThinking | ReasoningTiers | PreserveThinking),
        new("kimi-k2.7-code", PreserveThinking),
    ];

    private static readonly Table BuiltInTable = new(BuiltIn);

    private readonly Table? _user;
    private readonly ConcurrentDictionary<string, QwenModelCapabilities> _resolved = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="ModelFacts"/> class with the user's entries (copied) in front of the built-in rows.</summary>
    public ModelFacts(IEnumerable<KeyValuePair<string, QwenModelCapabilities>>? userEntries)
    {
        if (userEntries is not null)
        {
            var entries = userEntries.ToArray();
            if (entries.Length > 0)
            {
                _user = new Table(entries);
            }
        }
    }

    /// <summary>Gets the facts of the built-in table alone.</summary>
    public static ModelFacts Default { get; } = new(null);

    /// <summary>Returns the capabilities of <paramref name="modelId"/>: the user's entries, else the built-in rows, else <see cref="QwenModelCapabilities.None"/>.</summary>
    public QwenModelCapabilities Get(string? modelId)
    {
        if (string.IsNullOrEmpty(modelId))
        {
            return None;
        }

        if (_resolved.TryGetValue(modelId, out var known))
        {
            return known;
        }

        var resolved = Resolve(modelId);
        if (_resolved.Count < 1024)
        {
            _resolved[modelId] = resolved;
        }

        return resolved;
    }

    /// <summary>Whether <paramref name="modelId"/> has every flag in <paramref name="capability"/>.</summary>
    public bool Has(string? modelId, QwenModelCapabilities capability) => (Get(modelId) & capability) == capability;

    private QwenModelCapabilities Resolve(string modelId)
    {
        if (TryResolve(modelId, out var capabilities))
        {
            return capabilities;
        }

        const string UsSuffix = "-us";
        return modelId.Length > UsSuffix.Length && modelId.EndsWith(UsSuffix, StringComparison.OrdinalIgnoreCase)
            && TryResolve(modelId[..^UsSuffix.Length], out capabilities)
            ? capabilities
            : None;
    }

    private bool TryResolve(string modelId, out QwenModelCapabilities capabilities) =>
        (_user is not null && _user.TryGet(modelId, out capabilities)) || BuiltInTable.TryGet(modelId, out capabilities);

    /// <summary>One set of rows: exact ids in a dictionary, patterns longest first.</summary>
    private sealed class Table
    {
        private readonly Dictionary<string, QwenModelCapabilities> _exact = new(StringComparer.OrdinalIgnoreCase);
        private readonly KeyValuePair<string, QwenModelCapabilities>[] _patterns;

        public Table(KeyValuePair<string, QwenModelCapabilities>[] rows)
        {
            var patterns = new List<KeyValuePair<string, QwenModelCapabilities>>();
            foreach (var row in rows)
            {
                if (string.IsNullOrWhiteSpace(row.Key))
                {
                    throw new ArgumentException("QwenClientOptions.ModelCapabilities has an empty model id; use a model id such as 'qwen3.8-max' or a pattern such as 'qwen3.8-*'.", "options");
                }

                if (row.Key.Contains('*', StringComparison.Ordinal))
                {
                    patterns.Add(row);
                }
                else
                {
                    _exact[row.Key] = row.Value;
                }
            }

            // Longer patterns are more specific; among equals the later row wins, as it would in a dictionary.
            _patterns = [.. patterns.Select((row, index) => (row, index)).OrderByDescending(p => p.row.Key.Length).ThenByDescending(p => p.index).Select(p => p.row)];
        }

        public bool TryGet(string modelId, out QwenModelCapabilities capabilities)
        {
            if (_exact.TryGetValue(modelId, out capabilities))
            {
                return true;
            }

            foreach (var pattern in _patterns)
            {
                if (Matches(pattern.Key, modelId))
                {
                    capabilities = pattern.Value;
                    return true;
                }
            }

            capabilities = None;
            return false;
        }

        /// <summary>Glob match without regard to case; <c>*</c> matches any run of characters, including none.</summary>
        internal static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
        {
            var star = pattern.IndexOf('*');
            if (star < 0)
            {
                return pattern.Equals(text, StringComparison.OrdinalIgnoreCase);
            }

            if (!text.StartsWith(pattern[..star], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            var rest = pattern[(star + 1)..];
            if (rest.IsEmpty)
            {
                return true;
            }

            for (var i = star; i <= text.Length; i++)
            {
                if (Matches(rest, text[i..]))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
