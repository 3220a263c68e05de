using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Qwen.Extensions.AI.SemanticKernel.Tests.Infrastructure;

namespace Qwen.Extensions.AI.SemanticKernel.Tests;

/// <summary>A misconfigured registration fails when resolved, with a message that says what to set.</summary>
public sealed class MisconfigurationTests
{
    [NoApiKeyEnvironmentFact]
    public void Kernel_registration_without_a_key_says_to_pass_apiKey_or_set_DASHSCOPE_API_KEY()
    {
        var kernel = Kernel.CreateBuilder().AddQwenChatCompletion("qwen-plus").Build();

        var ex = Assert.Throws<InvalidOperationException>(() => kernel.GetRequiredService<IChatCompletionService>());

        Assert.Contains("apiKey", ex.Message);
        Assert.Contains("DASHSCOPE_API_KEY", ex.Message);
    }

    [Theory]
    [InlineData("ftp://dashscope-intl.aliyuncs.com/compatible-mode/v1", "http(s)")]
    [InlineData("http://dashscope-intl.aliyuncs.com/compatible-mode/v1", "https")]
    public void Kernel_registration_with_a_bad_endpoint_names_the_endpoint(string endpoint, string hint)
    {
        var kernel = Kernel.CreateBuilder().AddQwenChatCompletion("qwen-plus", "sk-test", new Uri(endpoint), serviceId: "bad").Build();

        var ex = Assert.Throws<InvalidOperationException>(() => kernel.GetRequiredService<IChatCompletionService>("bad"));

        Assert.Contains("Endpoint", ex.Message);
        Assert.Contains(hint, ex.Message);
        Assert.Contains("'bad'", ex.Message);
        Assert.DoesNotContain("sk-test", ex.Message);
    }

    [Fact]
    public void Kernel_registration_without_a_model_fails_at_once()
    {
        var ex = Assert.Throws<ArgumentException>(() => Kernel.CreateBuilder().AddQwenChatCompletion(" ", "sk-test"));

        Assert.Equal("modelId", ex.ParamName);
    }

    [Fact]
    public void Kernel_registration_through_options_without_a_model_says_to_set_DefaultModelId()
    {
        var kernel = Kernel.CreateBuilder().AddQwenChatCompletion(o => o.ApiKey = "sk-test").Build();

        var ex = Assert.Throws<InvalidOperationException>(() => kernel.GetRequiredService<IChatCompletionService>());

        Assert.Contains("DefaultModelId", ex.Message);
    }

    [NoApiKeyEnvironmentFact]
    public void DI_registration_without_a_key_names_the_configuration_section_and_ApiKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Qwen:DefaultModelId"] = "qwen-plus" }).Build();
        var services = new ServiceCollection();
        services.AddQwenChatClient(configuration.GetSection("Qwen"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IChatClient>());

        Assert.Contains("ApiKey", ex.Message);
        Assert.Contains("'Qwen'", ex.Message);
        Assert.Contains("DASHSCOPE_API_KEY", ex.Message);
    }

    [Fact]
    public void DI_registration_with_a_relative_endpoint_names_the_section_and_the_endpoint()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Qwen:Fast:ApiKey"] = "sk-secret-value",
            ["Qwen:Fast:Endpoint"] = "dashscope-intl.aliyuncs.com/compatible-mode/v1",
        }).Build();
        var services = new ServiceCollection();
        services.AddKeyedQwenChatClient("fast", configuration.GetSection("Qwen:Fast"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredKeyedService<IChatClient>("fast"));

        Assert.Contains("'Qwen:Fast'", ex.Message);
        Assert.Contains("Endpoint", ex.Message);
        Assert.Contains("absolute", ex.Message);
        Assert.Contains("'fast'", ex.Message);
        Assert.DoesNotContain("sk-secret-value", ex.Message);
    }

    [Theory]
    [InlineData("Qwen:ApiKeyy", "sk-x", "'Qwen:ApiKeyy' is not a Qwen client setting")]
    [InlineData("Qwen:RequestTimeout", "soon", "'Qwen:RequestTimeout' must be a time span")]
    [InlineData("Qwen:AllowInsecureHttp", "yes", "'Qwen:AllowInsecureHttp' must be true or false")]
    public void DI_configuration_with_a_misspelt_or_unparsable_setting_names_its_path(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Qwen:ApiKey"] = "sk-test", [key] = value }).Build();
        var services = new ServiceCollection();
        services.AddQwenChatClient(configuration.GetSection("Qwen"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IChatClient>());

        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void DI_configuration_binds_timeouts_and_retries()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Qwen:apikey"] = "sk-test", ["Qwen:MaxRetries"] = "5", ["Qwen:RequestTimeout"] = "00:02:00", ["Qwen:Fast:ApiKey"] = "nested sections are skipped",
        }).Build();
        var services = new ServiceCollection();
        services.AddQwenChatClient(configuration.GetSection("Qwen"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<QwenClientOptions>>().Get(QwenChatClientServiceCollectionExtensions.DefaultHttpClientName);

        Assert.Equal("sk-test", options.ApiKey);
        Assert.Equal(5, options.MaxRetries);
        Assert.Equal(TimeSpan.FromMinutes(2), options.RequestTimeout);
    }
}
