namespace Qwen.Extensions.AI.TestUtilities;

/// <summary>A fact about a missing API key: it can only be observed when DASHSCOPE_API_KEY is not set, so it is skipped otherwise.</summary>
public sealed class NoApiKeyEnvironmentFactAttribute : FactAttribute
{
    public NoApiKeyEnvironmentFactAttribute()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("DASHSCOPE_API_KEY")))
        {
            Skip = "DASHSCOPE_API_KEY is set, so a registration without a key is not misconfigured here.";
        }
    }
}
