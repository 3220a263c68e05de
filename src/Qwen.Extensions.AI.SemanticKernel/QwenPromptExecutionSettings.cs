using System.Text.Json.Serialization;
using Qwen.Extensions.AI.Wire;

namespace Qwen.Extensions.AI.SemanticKernel;

/// <summary>
/// Qwen settings for Semantic Kernel: the common sampling settings plus Qwen's own parameters, typed. Each property's JSON name is
/// the DashScope wire name, so the same settings written in a prompt template's <c>execution_settings</c> (or put in
/// <see cref="PromptExecutionSettings.ExtensionData"/>) mean the same thing.
/// </summary>
/// <remarks>Values that are <see langword="null"/> are not sent, so the service's defaults apply.</remarks>
public sealed class QwenPromptExecutionSettings : PromptExecutionSettings
{
    private double? _temperature;
    private double? _topP;
    private int? _topK;
    private int? _maxTokens;
    private double? _presencePenalty;
    private long? _seed;
    private IList<string>? _stopSequences;
    private bool? _enableThinking;
    private int? _thinkingBudget;
    private bool? _preserveThinking;
    private bool? _enableSearch;
    private IDictionary<string, object?>? _searchOptions;
    private bool? _enableCodeInterpreter;
    private bool? _vlHighResolutionImages;
    private double? _repetitionPenalty;
    private string? _reasoningEffort;
    private QwenContextCachePolicy? _contextCache;

    /// <summary>Gets or sets the sampling temperature, in [0, 2) (<c>temperature</c>).</summary>
    [JsonPropertyName(ChatParameters.Names.Temperature)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Temperature { get => _temperature; set => Set(ref _temperature, value); }

    /// <summary>Gets or sets the nucleus sampling threshold, in (0, 1] (<c>top_p</c>).</summary>
    [JsonPropertyName(ChatParameters.Names.TopP)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TopP { get => _topP; set => Set(ref _topP, value); }

    /// <summary>Gets or sets the number of candidate tokens sampled from, ≥ 0; above 100 disables top-k (<c>top_k</c>).</summary>
    [JsonPropertyName(ChatParameters.Names.TopK)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TopK { get => _topK; set => Set(ref _topK, value); }

    /// <summary>Gets or sets the most tokens the answer may have (<c>max_tokens</c>).</summary>
    [JsonPropertyName(ChatParameters.Names.MaxTokens)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxTokens { get => _maxTokens; set => Set(ref _maxTokens, value); }

    /// <summary>Gets or sets the presence penalty, in [-2, 2] (<c>presence_penalty</c>).</summary>
    [JsonPropertyName(ChatParameters.Names.PresencePenalty)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? PresencePenalty { get => _presencePenalty; set => Set(ref _presencePenalty, value); }

    /// <summary>Gets or sets the random seed, in [0, 2^31-1] (<c>seed</c>).</summary>
    [JsonPropertyName(ChatParameters.Names.Seed)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Seed { get => _seed; set => Set(ref _seed, value); }

    /// <summary>Gets or sets the sequences that stop generation (sent as <c>stop</c>).</summary>
    [JsonPropertyName(ChatParameters.StopSequencesSetting)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IList<string>? StopSequences { get => _stopSequences; set => Set(ref _stopSequences, value); }

    /// <summary>Gets or sets whether a hybrid-thinking model thinks before answering (<c>enable_thinking</c>).</summary>
    /// <remarks>The reasoning arrives in <see cref="KernelContent.Metadata"/> under <see cref="QwenMetadataKeys.Reasoning"/> and as <c>ReasoningContent</c> items.</remarks>
    [JsonPropertyName(ChatParameters.Names.EnableThinking)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? EnableThinking { get => _enableThinking; set => Set(ref _enableThinking, value); }

    /// <summary>Gets or sets the most tokens the model may think for, ≥ 1 (<c>thinking_budget</c>).</summary>
    [JsonPropertyName(ChatParameters.Names.ThinkingBudget)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ThinkingBudget { get => _thinkingBudget; set => Set(ref _thinkingBudget, value); }

    /// <summary>Gets or sets whether the reasoning of every earlier assistant turn is sent back, not only the current tool loop's (<c>preserve_thinking</c>).</summary>
    [JsonPropertyName(ChatParameters.Names.PreserveThinking)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? PreserveThinking { get => _preserveThinking; set => Set(ref _preserveThinking, value); }

    /// <summary>Gets or sets whether the model may search the web (<c>enable_search</c>).</summary>
    [JsonPropertyName(ChatParameters.Names.EnableSearch)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? EnableSearch { get => _enableSearch; set => Set(ref _enableSearch, value); }

    /// <summary>Gets or sets the web search options by wire name, for example <c>forced_search</c>, <c>search_strategy</c>, <c>enable_source</c> (<c>search_options</c>).</summary>
    [JsonPropertyName(ChatParameters.Names.SearchOptions)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IDictionary<string, object?>? SearchOptions { get => _searchOptions; set => Set(ref _searchOptions, value); }

    /// <summary>Gets or sets whether the model may run code (<c>enable_code_interpreter</c>).</summary>
    [JsonPropertyName(ChatParameters.Names.EnableCodeInterpreter)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? EnableCodeInterpreter { get => _enableCodeInterpreter; set => Set(ref _enableCodeInterpreter, value); }

    /// <summary>Gets or sets whether input images keep a higher pixel limit on vision models (<c>vl_high_resolution_images</c>).</summary>
    [JsonPropertyName(ChatParameters.Names.VlHighResolutionImages)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? VlHighResolutionImages { get => _vlHighResolutionImages; set => Set(ref _vlHighResolutionImages, value); }

    /// <summary>Gets or sets DashScope's repetition penalty, &gt; 0 with 1.0 meaning none (<c>repetition_penalty</c>).</summary>
    [JsonPropertyName(ChatParameters.Names.RepetitionPenalty)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? RepetitionPenalty { get => _repetitionPenalty; set => Set(ref _repetitionPenalty, value); }

    /// <summary>
    /// Gets or sets the reasoning tier: <c>none</c>, <c>low</c>, <c>medium</c>, <c>high</c> or <c>xhigh</c> become
    /// <c>ChatOptions.Reasoning.Effort</c>, which the client sends as <c>reasoning_effort</c> to the models that tier their thinking
    /// and as <c>enable_thinking</c> + <c>thinking_budget</c> to the others (README, "Model facts"); <c>minimal</c> and <c>max</c>,
    /// which have no MEAI equivalent, are sent as <c>reasoning_effort</c> as given (<c>reasoning_effort</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The value is not one of the tiers above.</exception>
    [JsonPropertyName(ChatParameters.Names.ReasoningEffort)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReasoningEffort
    {
        get => _reasoningEffort;
        set => Set(ref _reasoningEffort, value is null ? null : ToTier(value) is not null || IsWireOnlyTier(value)
            ? value.ToLowerInvariant()
            : throw new ArgumentException(
                $"Execution setting '{ChatParameters.Names.ReasoningEffort}' must be one of none, minimal, low, medium, high, xhigh, max; got '{value}'.", nameof(value)));
    }

    /// <summary>
    /// Gets or sets whether the client places context-cache markers itself for this request (<c>contextCache</c>: <c>None</c> or
    /// <c>Auto</c>), overriding <see cref="QwenClientOptions.ContextCache"/>; <see langword="null"/> keeps the client's setting.
    /// Not a wire parameter: the client reads it (see <see cref="QwenPropertyNames.ContextCache"/>).
    /// </summary>
    [JsonPropertyName(ChatParameters.ContextCacheSetting)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(JsonStringEnumConverter<QwenContextCachePolicy>))]
    public QwenContextCachePolicy? ContextCache { get => _contextCache; set => Set(ref _contextCache, value); }

    /// <summary>
    /// Returns <paramref name="settings"/> as <see cref="QwenPromptExecutionSettings"/>: the same instance when it already is one,
    /// otherwise a copy whose typed properties are read from <see cref="PromptExecutionSettings.ExtensionData"/> by wire name
    /// (other extension data is kept).
    /// </summary>
    /// <param name="settings">The settings to convert, or <see langword="null"/> for empty settings.</param>
    /// <returns>The Qwen settings.</returns>
    /// <exception cref="ArgumentException">An extension data value has the wrong type for its parameter, for example <c>"enable_thinking": "yes"</c>.</exception>
    public static QwenPromptExecutionSettings FromExecutionSettings(PromptExecutionSettings? settings)
    {
        switch (settings)
        {
            case null:
                return new QwenPromptExecutionSettings();
            case QwenPromptExecutionSettings qwen:
                return qwen;
        }

        var result = new QwenPromptExecutionSettings
        {
            ModelId = settings.ModelId,
            ServiceId = settings.ServiceId,
            FunctionChoiceBehavior = settings.FunctionChoiceBehavior,
        };

        if (settings.ExtensionData is { Count: > 0 } data)
        {
            var rest = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var pair in data)
            {
                if (!result.TryReadTyped(pair.Key, pair.Value))
                {
                    rest[pair.Key] = pair.Value;
                }
            }

            result.ExtensionData = rest.Count > 0 ? rest : null;
        }

        return result;
    }

    /// <inheritdoc />
    public override PromptExecutionSettings Clone() => new QwenPromptExecutionSettings
    {
        ModelId = ModelId,
        ServiceId = ServiceId,
        FunctionChoiceBehavior = FunctionChoiceBehavior,
        ExtensionData = ExtensionData is null ? null : new Dictionary<string, object>(ExtensionData),
        Temperature = Temperature,
        TopP = TopP,
        TopK = TopK,
        MaxTokens = MaxTokens,
        PresencePenalty = PresencePenalty,
        Seed = Seed,
        StopSequences = StopSequences is null ? null : new List<string>(StopSequences),
        EnableThinking = EnableThinking,
        ThinkingBudget = ThinkingBudget,
        PreserveThinking = PreserveThinking,
        EnableSearch = EnableSearch,
        SearchOptions = SearchOptions is null ? null : new Dictionary<string, object?>(SearchOptions),
        EnableCodeInterpreter = EnableCodeInterpreter,
        VlHighResolutionImages = VlHighResolutionImages,
        RepetitionPenalty = RepetitionPenalty,
        ReasoningEffort = ReasoningEffort,
        ContextCache = ContextCache,
    };

    /// <summary>
    /// Writes the typed values into <paramref name="options"/> with their CLR types (Semantic Kernel's own conversion round-trips
    /// derived settings through JSON, which turns every number into a <see cref="double"/>).
    /// </summary>
    /// <param name="options">The options Semantic Kernel built from these settings.</param>
    protected override void PrepareChatOptionsForRequest(ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Temperature = Temperature is { } t ? (float)t : options.Temperature;
        options.TopP = TopP is { } p ? (float)p : options.TopP;
        options.TopK = TopK ?? options.TopK;
        options.MaxOutputTokens = MaxTokens ?? options.MaxOutputTokens;
        options.PresencePenalty = PresencePenalty is { } pp ? (float)pp : options.PresencePenalty;
        options.Seed = Seed ?? options.Seed;
        options.StopSequences = StopSequences ?? options.StopSequences;

        Put(options, ChatParameters.EnableThinking, EnableThinking);
        Put(options, ChatParameters.ThinkingBudget, ThinkingBudget);
        Put(options, ChatParameters.PreserveThinking, PreserveThinking);
        Put(options, ChatParameters.EnableSearch, EnableSearch);
        Put(options, ChatParameters.SearchOptions, SearchOptions);
        Put(options, ChatParameters.EnableCodeInterpreter, EnableCodeInterpreter);
        Put(options, ChatParameters.VlHighResolutionImages, VlHighResolutionImages);
        Put(options, ChatParameters.RepetitionPenalty, RepetitionPenalty);

        // The reasoning tier: MEAI's efforts go through ChatOptions.Reasoning (the client decides the wire by model); the tiers MEAI lacks go as given.
        if (ReasoningEffort is { } tier)
        {
            if (ToTier(tier) is { } effort)
            {
                options.Reasoning = new ReasoningOptions { Effort = effort, Output = options.Reasoning?.Output };
            }
            else
            {
                Put(options, ChatParameters.ReasoningEffort, tier);
            }
        }

        if (ContextCache is { } contextCache)
        {
            (options.AdditionalProperties ??= [])[ChatParameters.ContextCacheSetting] = contextCache;
        }
    }

    private static ReasoningEffort? ToTier(string value) => value.ToLowerInvariant() switch
    {
        "none" => Microsoft.Extensions.AI.ReasoningEffort.None,
        "low" => Microsoft.Extensions.AI.ReasoningEffort.Low,
        "medium" => Microsoft.Extensions.AI.ReasoningEffort.Medium,
        "high" => Microsoft.Extensions.AI.ReasoningEffort.High,
        "xhigh" => Microsoft.Extensions.AI.ReasoningEffort.ExtraHigh,
        _ => null,
    };

    private static bool IsWireOnlyTier(string value) => value.Equals("minimal", StringComparison.OrdinalIgnoreCase) || value.Equals("max", StringComparison.OrdinalIgnoreCase);

    private static void Put(ChatOptions options, RequestParameter parameter, object? value)
    {
        if (value is not null)
        {
            (options.AdditionalProperties ??= [])[parameter.Name] = value;
        }
    }

    private void Set<T>(ref T field, T value)
    {
        ThrowIfFrozen();
        field = value;
    }

    private bool TryReadTyped(string key, object? value)
    {
        switch (key)
        {
            case ChatParameters.Names.Temperature: Temperature = SettingValue.ToDouble(key, value); return true;
            case ChatParameters.Names.TopP: TopP = SettingValue.ToDouble(key, value); return true;
            case ChatParameters.Names.TopK: TopK = SettingValue.ToInt(key, value); return true;
            case ChatParameters.Names.MaxTokens: MaxTokens = SettingValue.ToInt(key, value); return true;
            case ChatParameters.Names.PresencePenalty: PresencePenalty = SettingValue.ToDouble(key, value); return true;
            case ChatParameters.Names.Seed: Seed = SettingValue.ToInt(key, value); return true;
            case ChatParameters.Names.EnableThinking: EnableThinking = SettingValue.ToBool(key, value); return true;
            case ChatParameters.Names.ThinkingBudget: ThinkingBudget = SettingValue.ToInt(key, value); return true;
            case ChatParameters.Names.PreserveThinking: PreserveThinking = SettingValue.ToBool(key, value); return true;
            case ChatParameters.Names.EnableSearch: EnableSearch = SettingValue.ToBool(key, value); return true;
            case ChatParameters.Names.EnableCodeInterpreter: EnableCodeInterpreter = SettingValue.ToBool(key, value); return true;
            case ChatParameters.Names.VlHighResolutionImages: VlHighResolutionImages = SettingValue.ToBool(key, value); return true;
            case ChatParameters.Names.RepetitionPenalty: RepetitionPenalty = SettingValue.ToDouble(key, value); return true;
            case ChatParameters.Names.ReasoningEffort: ReasoningEffort = SettingValue.ToTier(key, value); return true;
            case ChatParameters.ContextCacheSetting: ContextCache = SettingValue.ToContextCache(key, value); return true;
            case ChatParameters.Names.SearchOptions when value is JsonElement { ValueKind: JsonValueKind.Object } e:
                SearchOptions = e.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal);
                return true;
            case ChatParameters.Names.SearchOptions when value is IDictionary<string, object?> d:
                SearchOptions = new Dictionary<string, object?>(d, StringComparer.Ordinal);
                return true;
            default:
                return false;
        }
    }
}
