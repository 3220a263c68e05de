namespace Qwen.Extensions.AI.Emulator.Behaviour;

/// <summary>Values found in a prompt (quoted text, proper nouns, numbers, arithmetic), handed out in order to generated arguments.</summary>
internal sealed partial class PromptValues
{
    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "from", "by", "with", "about", "as", "into", "is", "are",
        "was", "were", "be", "been", "it", "its", "this", "that", "these", "those", "what", "whats", "which", "who", "whom", "how", "when",
        "where", "why", "can", "could", "would", "should", "will", "shall", "may", "might", "must", "do", "does", "did", "please", "me", "my",
        "you", "your", "we", "our", "us", "i", "he", "she", "they", "them", "get", "gets", "set", "sets", "give", "tell", "show", "find", "call",
        "use", "using", "now", "current", "some", "any", "all", "there", "here", "then", "than", "so", "if", "not", "no", "yes", "just",
        "also", "very", "much", "many", "more", "most", "one", "two", "value", "values", "returns", "return", "given", "specified", "function",
        "tool", "like", "want", "need", "know", "let", "make", "today", "let's", "lets", "is", "has", "have", "had", "up",
        "describe", "write", "reply", "say", "answer", "list", "name", "names", "json",
    };

    private readonly List<string> _quoted = [];
    private readonly List<string> _proper = [];
    private readonly List<double> _numbers = [];
    private int _nextQuoted;
    private int _nextProper;
    private int _nextNumber;

    public PromptValues(string prompt)
    {
        Prompt = prompt;
        foreach (Match m in Quoted().Matches(prompt))
        {
            _quoted.Add(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value);
        }

        var unquoted = Quoted().Replace(prompt, " ");
        foreach (Match m in ProperNoun().Matches(unquoted))
        {
            var words = m.Value.Split(' ');
            var start = 0;
            while (start < words.Length && StopWords.Contains(words[start]))
            {
                start++;
            }

            if (start < words.Length)
            {
                var value = string.Join(' ', words[start..]);
                if (!_proper.Contains(value, StringComparer.Ordinal))
                {
                    _proper.Add(value);
                }
            }
        }

        foreach (Match m in Number().Matches(prompt))
        {
            _numbers.Add(double.Parse(m.Value, CultureInfo.InvariantCulture));
        }

        Computed = Compute(prompt);
        // Words of the prompt, with identifiers split too: "SecretComputation" and "secret_computation" give "secret" and "computation".
        Words = [.. WordToken().Matches(prompt).SelectMany(m => IdentifierPart().Matches(m.Value).Select(p => p.Value).Prepend(m.Value))
            .Select(w => Singular(w.ToLowerInvariant())).Where(w => w.Length >= 3 && !StopWords.Contains(w)).Distinct(StringComparer.Ordinal)];
        AllWords = [.. WordToken().Matches(prompt.ToLowerInvariant()).Select(m => m.Value)];
        ListItems = FindList(Quoted().Replace(prompt, " "));
    }

    /// <summary>Gets every lower-case word of the prompt, stop words and short words included.</summary>
    public IReadOnlyList<string> AllWords { get; }

    /// <summary>Gets the items of the first enumeration in the prompt ("bacon, lettuce, and tomatoes"; "tea or coffee").</summary>
    public IReadOnlyList<string> ListItems { get; }

    /// <summary>Gets how many numbers the generated values used so far.</summary>
    public int NumbersUsed => _nextNumber;

    public string Prompt { get; }

    /// <summary>Gets the significant lower-case words of the prompt (singularized).</summary>
    public IReadOnlyList<string> Words { get; }

    public IReadOnlyList<string> ProperNouns => _proper;

    public IReadOnlyList<string> QuotedTexts => _quoted;

    public IReadOnlyList<double> Numbers => _numbers;

    /// <summary>Gets the result of the first <c>a op b</c> in the prompt, if any.</summary>
    public (double A, string Op, double B, double Result)? Computed { get; }

    /// <summary>Gets a value indicating whether the prompt is negative ("not", "false", ...), ignoring choices such as "true or false".</summary>
    public bool IsNegative => NegativeWord().IsMatch(Choice().Replace(Prompt, " "));

    public static bool IsStopWord(string word) => StopWords.Contains(word);

    public static string Singular(string word) =>
        word.Length > 4 && word.EndsWith("ies", StringComparison.Ordinal) ? word[..^3] + "y"
        : word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1] : word;

    /// <summary>Splits an identifier such as <c>get_current_weather</c> or <c>GetCurrentWeather</c> into lower-case words.</summary>
    public static IEnumerable<string> SplitIdentifier(string name) =>
        IdentifierPart().Matches(name).Select(m => Singular(m.Value.ToLowerInvariant())).Where(w => w.Length >= 3 && !StopWords.Contains(w));

    /// <summary>Gets the words of free text (a description), significant and singularized.</summary>
    public static IEnumerable<string> SplitText(string text) =>
        WordToken().Matches(text.ToLowerInvariant()).Select(m => Singular(m.Value)).Where(w => w.Length >= 3 && !StopWords.Contains(w));

    /// <summary>Whether the prompt names a property (its identifier words all appear).</summary>
    public bool Mentions(string propertyName)
    {
        var parts = NameWords(propertyName);
        return parts.Count > 0 && parts.All(p => AllWords.Any(w => w == p || (p.Length >= 3 && w.Length > p.Length && w.StartsWith(p, StringComparison.Ordinal) && w.Length - p.Length <= 2)));
    }

    /// <summary>The lower-case words of a property name; a short name ("id") is its own word.</summary>
    private static List<string> NameWords(string propertyName)
    {
        var parts = SplitIdentifier(propertyName).ToList();
        if (parts.Count == 0 && propertyName.Length > 0)
        {
            parts = [.. IdentifierPart().Matches(propertyName).Select(m => m.Value.ToLowerInvariant())];
        }

        return parts;
    }

    /// <summary>The value written after a property's name in the prompt ("unit fahrenheit", "city is Paris", "count: 3").</summary>
    public string? ValueAfterName(string propertyName)
    {
        var words = NameWords(propertyName);
        if (words.Count == 0)
        {
            return null;
        }

        var pattern = @"\b" + string.Join(@"[\s_-]*", words.Select(Regex.Escape)) + @"s?\b[\s:=]*(?:(?:is|of|as|set|to|the|a|an|be|equals?|should|must)\b[\s:=]*)*(?:""([^""]+)""|'([^']+)'|([\p{L}\p{N}_\-\.@/+]+))";
        var match = Regex.Match(Prompt, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        if (!match.Success)
        {
            return null;
        }

        var value = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Success ? match.Groups[2].Value : match.Groups[3].Value.TrimEnd('.');
        return value.Length == 0 || StopWords.Contains(value) ? null : value;
    }

    public string NextString(string propertyName)
    {
        if (ValueAfterName(propertyName) is { } named && !_proper.Contains(named, StringComparer.Ordinal))
        {
            return named;
        }

        if (_nextQuoted < _quoted.Count)
        {
            return _quoted[_nextQuoted++];
        }

        if (_proper.Count > 0)
        {
            return _proper[Math.Min(_nextProper++, _proper.Count - 1)];
        }

        var longest = Words.OrderByDescending(w => w.Length).FirstOrDefault();
        return longest ?? propertyName;
    }

    public double NextNumber(string propertyName, bool preferComputed)
    {
        if (preferComputed && Computed is { } c)
        {
            return c.Result;
        }

        if (ValueAfterName(propertyName) is { } named && double.TryParse(named, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        if (_numbers.Count > 0)
        {
            return _numbers[Math.Min(_nextNumber++, _numbers.Count - 1)];
        }

        return 1;
    }

    /// <summary>Renders a number the way a model would (integers without a decimal point).</summary>
    public static string Format(double value) => value == Math.Floor(value) && Math.Abs(value) < 1e15
        ? ((long)value).ToString(CultureInfo.InvariantCulture)
        : value.ToString("0.######", CultureInfo.InvariantCulture);

    private static List<string> FindList(string text)
    {
        var m = ListPattern().Match(text);
        if (!m.Success)
        {
            return [];
        }

        var items = new List<string> { m.Groups["first"].Value };
        items.AddRange(m.Groups["middle"].Captures.Select(c => c.Value.Trim()));
        items.Add(m.Groups["last"].Value);
        return [.. items.Where(i => i.Length > 0 && !StopWords.Contains(i))];
    }

    private static (double, string, double, double)? Compute(string prompt)
    {
        var m = Arithmetic().Match(prompt);
        if (!m.Success)
        {
            return null;
        }

        var a = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var b = double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        var op = m.Groups[2].Value.ToLowerInvariant();
        double? result = op switch
        {
            "+" or "plus" => a + b,
            "-" or "minus" => a - b,
            "*" or "x" or "×" or "times" => a * b,
            "/" or "÷" or "divided by" => b == 0 ? null : a / b,
            _ => null,
        };
        return result is { } r ? (a, op, b, r) : null;
    }

    [GeneratedRegex(@"(?<![\w])""([^""]+)""|(?<![\w])'([^']+)'(?![\w])|“([^”]+)”", RegexOptions.CultureInvariant)]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\b[A-Z][\p{L}\-]*(?:\s+[A-Z][\p{L}\-]*)*", RegexOptions.CultureInvariant)]
    private static partial Regex ProperNoun();

    [GeneratedRegex(@"(?<![\w.])-?\d+(?:\.\d+)?(?!\w|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    [GeneratedRegex(@"(-?\d+(?:\.\d+)?)\s*(\+|-|\*|×|÷|/|x|plus|minus|times|divided by)\s*(-?\d+(?:\.\d+)?)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Arithmetic();

    // "a, b, and c" / "a, b or c" / "a and b": single-word ends, multi-word middle items.
    [GeneratedRegex(@"(?<first>[\p{L}\p{N}\-]+)(?:\s*,\s*(?<middle>[\p{L}\p{N}\- ]+?))*\s*,?\s+(?:and|or)\s+(?<last>[\p{L}\p{N}\-]+)", RegexOptions.CultureInvariant)]
    private static partial Regex ListPattern();

    [GeneratedRegex(@"[\p{L}\p{N}']+", RegexOptions.CultureInvariant)]
    private static partial Regex WordToken();

    [GeneratedRegex(@"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPart();

    [GeneratedRegex(@"\b(true or false|false or true|yes or no|no or yes)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Choice();

    [GeneratedRegex(@"\b(not|no|false|never|isn't|aren't|don't|doesn't)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NegativeWord();
}
