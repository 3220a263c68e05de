namespace Qwen.Extensions.AI;

/// <summary>
/// Keys for Qwen-specific request parameters in <c>ChatOptions.AdditionalProperties</c>. Each key is the parameter's
/// wire name, so <c>options.AdditionalProperties["enable_thinking"] = false</c> and
/// <c>options.AdditionalProperties[QwenPropertyNames.EnableThinking] = false</c> are the same. The one exception is
/// <see cref="StrictJsonSchema"/>, MEAI's own key, which the client reads rather than sends.
/// </summary>
public static class QwenPropertyNames
{
    /// <summary>
    /// <c>strictJsonSchema</c> (bool): not a wire parameter but the key MEAI's OpenAI client reads. On <c>ChatOptions.AdditionalProperties</c>
    /// it sends <c>"strict"</c> inside <c>response_format.json_schema</c> and on every function definition; on one function's
    /// <c>AdditionalProperties</c> it sets that function's <c>strict</c> (and wins over the options). Unset, no <c>strict</c> is sent.
    /// </summary>
    public const string StrictJsonSchema = Wire.ChatParameters.StrictJsonSchemaSetting;

    /// <summary><c>enable_thinking</c> (bool): turns thinking on or off for hybrid-thinking models.</summary>
    public const string EnableThinking = Wire.ChatParameters.Names.EnableThinking;

    /// <summary><c>thinking_budget</c> (int &gt; 0): the most tokens the model may think for.</summary>
    public const string ThinkingBudget = Wire.ChatParameters.Names.ThinkingBudget;

    /// <summary><c>preserve_thinking</c> (bool): echo reasoning of every earlier assistant turn, not only those after the last user message.</summary>
    public const string PreserveThinking = Wire.ChatParameters.Names.PreserveThinking;

    /// <summary><c>top_k</c> (int ≥ 0; above 100 disables top-k sampling).</summary>
    public const string TopK = Wire.ChatParameters.Names.TopK;

    /// <summary><c>enable_search</c> (bool): lets the model search the web.</summary>
    public const string EnableSearch = Wire.ChatParameters.Names.EnableSearch;

    /// <summary><c>search_options</c> (object): <c>forced_search</c>, <c>search_strategy</c>, <c>enable_search_extension</c>, <c>enable_source</c>, ...</summary>
    public const string SearchOptions = Wire.ChatParameters.Names.SearchOptions;

    /// <summary><c>enable_code_interpreter</c> (bool): lets the model run code.</summary>
    public const string EnableCodeInterpreter = Wire.ChatParameters.Names.EnableCodeInterpreter;

    /// <summary><c>vl_high_resolution_images</c> (bool): raises the pixel limit for input images.</summary>
    public const string VlHighResolutionImages = Wire.ChatParameters.Names.VlHighResolutionImages;

    /// <summary><c>repetition_penalty</c> (number &gt; 0): DashScope's own repetition control.</summary>
    public const string RepetitionPenalty = Wire.ChatParameters.Names.RepetitionPenalty;

    /// <summary><c>n</c> (int 1–4): how many choices to generate (non-streaming only; each becomes a message of the response).</summary>
    public const string N = Wire.ChatParameters.Names.N;

    /// <summary><c>logprobs</c> (bool): return log probabilities; they arrive in <c>AdditionalProperties["logprobs"]</c>.</summary>
    public const string Logprobs = Wire.ChatParameters.Names.Logprobs;

    /// <summary><c>top_logprobs</c> (int 0–5): candidates per position when <c>logprobs</c> is on.</summary>
    public const string TopLogprobs = Wire.ChatParameters.Names.TopLogprobs;

    /// <summary><c>modalities</c> (string array): <c>["text"]</c> or <c>["text","audio"]</c> for Qwen-Omni.</summary>
    public const string Modalities = Wire.ChatParameters.Names.Modalities;

    /// <summary><c>audio</c> (object): voice and format of Qwen-Omni audio output.</summary>
    public const string Audio = Wire.ChatParameters.Names.Audio;

    /// <summary>
    /// <c>reasoning_effort</c> (string: <c>none</c>, <c>minimal</c>, <c>low</c>, <c>medium</c>, <c>high</c>, <c>xhigh</c>, <c>max</c>): tiered
    /// thinking. Derived from <c>ChatOptions.Reasoning.Effort</c> for the models that honour it (README, "Model facts"); set here it is
    /// sent as given and wins over the derived value. The service refuses it together with <c>thinking_budget</c>.
    /// </summary>
    public const string ReasoningEffort = Wire.ChatParameters.Names.ReasoningEffort;

    /// <summary><c>asr_options</c> (object): qwen3-asr recognition options, e.g. <c>{"language": "zh", "enable_itn": false}</c>; sent as given.</summary>
    public const string AsrOptions = Wire.ChatParameters.Names.AsrOptions;

    /// <summary>
    /// The key under which an answer's <c>annotations</c> array arrives, as a <see cref="System.Text.Json.JsonElement"/>: on the
    /// message's <c>AdditionalProperties</c>, on the <c>ChatResponse</c>'s (first choice) and on the streamed update that carried it.
    /// qwen3-asr sends <c>[{"type": "audio_info", "emotion": "neutral", "language": "zh"}]</c>. Not sent when empty.
    /// </summary>
    public const string Annotations = Wire.ResponseFields.Annotations;

    /// <summary>
    /// <c>recoverToolCallsFromReasoning</c> (bool): not a wire parameter (never sent). Per request, turns the recovery of tool calls
    /// leaked into the reasoning on or off, overriding <see cref="QwenClientOptions.RecoverToolCallsFromReasoning"/> (see there for the rule and the risk).
    /// </summary>
    public const string RecoverToolCallsFromReasoning = "recoverToolCallsFromReasoning";

    /// <summary>The key under which responses carry the service's request id (<c>x-request-id</c>).</summary>
    public const string RequestId = Wire.ResponseFields.RequestId;

    /// <summary>
    /// <c>cache_control</c>: on an <c>AIContent.AdditionalProperties</c> (not on <c>ChatOptions</c>), marks that content part for the
    /// explicit context cache. The value is <c>{"type":"ephemeral"}</c> (a <c>JsonElement</c>, a dictionary or a <c>JsonObject</c>)
    /// or the string <c>"ephemeral"</c>; <see cref="QwenContextCacheExtensions.WithCacheControl{TContent}(TContent)"/> sets it.
    /// Any other value fails with an <see cref="ArgumentException"/> before sending. README, "Context cache".
    /// </summary>
    public const string CacheControl = Wire.ChatParameters.ContentParts.CacheControl;

    /// <summary>
    /// <c>contextCache</c>: on <c>ChatOptions.AdditionalProperties</c>, overrides <see cref="QwenClientOptions.ContextCache"/> for one
    /// request (a <see cref="QwenContextCachePolicy"/>, or <c>"auto"</c> / <c>"none"</c>). Read by the client, never sent.
    /// </summary>
    public const string ContextCache = Wire.ChatParameters.ContextCacheSetting;

    /// <summary>
    /// The <c>UsageDetails.AdditionalCounts</c> key of <c>usage.prompt_tokens_details.cache_creation_input_tokens</c>: the prompt
    /// tokens written to the explicit cache by this request (billed at 125 %). Hits stay in <c>UsageDetails.CachedInputTokenCount</c>.
    /// </summary>
    public const string CacheCreationInputTokens = Wire.ResponseFields.PromptTokensDetails + "." + Wire.ResponseFields.CacheCreationInputTokens;

    /// <summary>
    /// The <c>UsageDetails.AdditionalCounts</c> key of <c>usage.prompt_tokens_details.cache_creation.ephemeral_5m_input_tokens</c>:
    /// the tokens written to the cache with the 5-minute lifetime (every explicit marker's, today).
    /// </summary>
    public const string CacheCreationEphemeral5mInputTokens = Wire.ResponseFields.PromptTokensDetails + "." + Wire.ResponseFields.CacheCreation + ".ephemeral_5m_input_tokens";

    /// <summary>
    /// The <c>UsageDetails.AdditionalCounts</c> key present (with count 1) when the answer's <c>usage.prompt_tokens_details.cache_type</c>
    /// is <c>"ephemeral"</c>, i.e. the request used the explicit cache (another type <c>t</c> would appear as
    /// <c>prompt_tokens_details.cache_type.t</c>). Implicit-cache answers carry no cache type.
    /// </summary>
    public const string CacheTypeEphemeral = Wire.ResponseFields.PromptTokensDetails + "." + Wire.ResponseFields.CacheType + "." + Wire.ChatParameters.ContentParts.Ephemeral;

    /// <summary>
    /// <c>x-dashscope-session-cache</c> (bool, or <c>"enable"</c>/<c>"disable"</c>), <see cref="QwenResponsesChatClient"/> only: sent as the
    /// request header of that name, not as a body field. <see langword="true"/> turns on the Responses API's session cache for a
    /// conversation continued with <c>ChatOptions.ConversationId</c> (cache creation billed at 125 %, hits at 10 %); unset, no header is sent.
    /// </summary>
    public const string SessionCache = Wire.ResponsesParameters.SessionCacheHeader;
}
