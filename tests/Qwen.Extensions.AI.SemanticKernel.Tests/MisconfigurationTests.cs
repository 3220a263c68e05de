using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Qwen.Extensions.AI.SemanticKernel.Tests;

/// <summary>A misconfigured kernel registration fails when resolved, with a message that says what to set.</summary>
public sealed class MisconfigurationTests
{
    [NoApiKeyEnvironmentFact]
    public void KernelRegistrationWithoutAKeySaysToPassApiKeyOrSetDASHSCOPEAPIKEY()
    {
        var kernel = Kernel.CreateBuilder().AddQwenChatCompletion("qwen-plus").Build();

        var ex = Assert.Throws<InvalidOperationException>(() => kernel.GetRequiredService<IChatCompletionService>());

        Assert.Contains("apiKey", ex.Message);
        Assert.Contains("DASHSCOPE_API_KEY", ex.Message);
    }

    [Theory]
    [InlineData("ftp://dashscope-intl.aliyuncs.com/compatible-mode/v1", "http(s)")]
    [InlineData("http://dashscope-intl.aliyuncs.com/compatible-mode/v1", "https")]
    public void KernelRegistrationWithABadEndpointNamesTheEndpoint(string endpoint, string hint)
    {
        var kernel = Kernel.CreateBuilder().AddQwenChatCompletion("qwen-plus", "sk-test", new Uri(endpoint), serviceId: "bad").Build();

        var ex = Assert.Throws<InvalidOperationException>(() => kernel.GetRequiredService<IChatCompletionService>("bad"));

        Assert.Contains("Endpoint", ex.Message);
        Assert.Contains(hint, ex.Message);
        Assert.Contains("'bad'", ex.Message);
        Assert.DoesNotContain("sk-test", ex.Message);
    }

    [Fact]
    public void KernelRegistrationWithoutAModelFailsAtOnce()
    {
        var ex = Assert.Throws<ArgumentException>(() => Kernel.CreateBuilder().AddQwenChatCompletion(" ", "sk-test"));

        Assert.Equal("modelId", ex.ParamName);
    }

    [Fact]
    public void KernelRegistrationThroughOptionsWithoutAModelSaysToSetDefaultModelId()
    {
        var kernel = Kernel.CreateBuilder().AddQwenChatCompletion(o => o.ApiKey = "sk-test").Build();

        var ex = Assert.Throws<InvalidOperationException>(() => kernel.GetRequiredService<IChatCompletionService>());

        Assert.Contains("DefaultModelId", ex.Message);
    }
}
