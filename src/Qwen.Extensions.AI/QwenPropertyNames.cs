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

    /// <summary>The key under which responses carry the service's request id (<c>x-request-id</c>).</summary>
    public const string RequestId = Wire.ResponseFields.RequestId;

    /// <summary>
    /// <c>x-dashscope-session-cache</c> (bool, or <c>"enable"</c>/<c>"disable"</c>), <see cref="QwenResponsesChatClient"/> only: sent as the
    /// request header of that name, not as a body field. <see langword="true"/> turns on the Responses API's session cache for a
    /// conversation continued with <c>ChatOptions.ConversationId</c> (cache creation billed at 125 %, hits at 10 %); unset, no header is sent.
    /// </summary>
    public const string SessionCache = Wire.ResponsesParameters.SessionCacheHeader;
}
