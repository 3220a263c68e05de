using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Qwen.Extensions.AI.DependencyInjection.Tests;

/// <summary>A misconfigured AddQwenChatClient registration fails when resolved, with a message that says what to set.</summary>
public sealed class MisconfigurationTests
{
    [NoApiKeyEnvironmentFact]
    public void DIRegistrationWithoutAKeyNamesTheConfigurationSectionAndApiKey()
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
    public void DIRegistrationWithARelativeEndpointNamesTheSectionAndTheEndpoint()
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
    [InlineData("Qwen:RecoverToolCallsFromReasoning", "maybe", "'Qwen:RecoverToolCallsFromReasoning' must be true or false")]
    public void DIConfigurationWithAMisspeltOrUnparsableSettingNamesItsPath(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Qwen:ApiKey"] = "sk-test", [key] = value }).Build();
        var services = new ServiceCollection();
        services.AddQwenChatClient(configuration.GetSection("Qwen"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IChatClient>());

        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void DIConfigurationBindsTimeoutsAndRetries()
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

    [Fact]
    public void DIConfigurationBindsTheLeakedToolCallRecovery()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Qwen:ApiKey"] = "sk-test", ["Qwen:RecoverToolCallsFromReasoning"] = "true",
        }).Build();
        var services = new ServiceCollection();
        services.AddQwenChatClient(configuration.GetSection("Qwen"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<QwenClientOptions>>().Get(QwenChatClientServiceCollectionExtensions.DefaultHttpClientName);

        Assert.True(options.RecoverToolCallsFromReasoning);
    }

    [Fact]
    public void ConfigureOfTheUnnamedOptionsFailsLoudlyInsteadOfBeingIgnored()
    {
        var services = new ServiceCollection();
        services.Configure<QwenClientOptions>(o => o.DefaultModelId = "qwen-max");
        services.AddQwenChatClient(o => o.ApiKey = "sk-test");
        services.AddKeyedQwenChatClient("fast", o => o.ApiKey = "sk-test");
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IChatClient>());
        var keyed = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredKeyedService<IChatClient>("fast"));

        Assert.Contains("services.Configure<QwenClientOptions>(\"Qwen\", o => ...)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("services.Configure<QwenClientOptions>(\"Qwen:fast\", o => ...)", keyed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigureOfTheNamedOptionsReachesTheClient()
    {
        var services = new ServiceCollection();
        services.AddQwenChatClient(o => o.ApiKey = "sk-test");
        services.Configure<QwenClientOptions>(QwenChatClientServiceCollectionExtensions.GetHttpClientName(null), o => o.DefaultModelId = "qwen-max");
        using var provider = services.BuildServiceProvider();

        Assert.Equal("qwen-max", provider.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>()?.DefaultModelId);
    }

    [NoApiKeyEnvironmentFact]
    public void AMissingSectionHintsAtGetSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Qwen:ApiKey"] = "sk-test" }).Build();
        var services = new ServiceCollection();
        services.AddQwenChatClient(configuration.GetSection("Qwem"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IChatClient>());

        Assert.Contains("'Qwem' is empty or missing", ex.Message, StringComparison.Ordinal);
        Assert.Contains("GetSection(\"Qwen\")", ex.Message, StringComparison.Ordinal);
    }

    [NoApiKeyEnvironmentFact]
    public void TheRootConfigurationInsteadOfItsSectionHintsAtGetSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Qwen:ApiKey"] = "sk-test" }).Build();
        var services = new ServiceCollection();
        services.AddQwenChatClient(configuration);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IChatClient>());

        Assert.Contains("the whole configuration was passed", ex.Message, StringComparison.Ordinal);
        Assert.Contains("GetSection(\"Qwen\")", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARootConfigurationWithTopLevelValuesHintsAtGetSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Qwen:ApiKey"] = "sk-test", ["PATH"] = "/usr/bin" }).Build();
        var services = new ServiceCollection();
        services.AddQwenChatClient(configuration);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IChatClient>());

        Assert.Contains("'PATH' is not a Qwen client setting", ex.Message, StringComparison.Ordinal);
        Assert.Contains("GetSection(\"Qwen\")", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DIConfigurationBindsTheStreamingResponseTimeoutAndTheBodyCap()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Qwen:ApiKey"] = "sk-test", ["Qwen:StreamingResponseTimeout"] = "-00:00:00.001", ["Qwen:MaxResponseBodyBytes"] = "1048576",
        }).Build();
        var services = new ServiceCollection();
        services.AddQwenChatClient(configuration.GetSection("Qwen"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<QwenClientOptions>>().Get(QwenChatClientServiceCollectionExtensions.DefaultHttpClientName);

        Assert.Equal(Timeout.InfiniteTimeSpan, options.StreamingResponseTimeout);
        Assert.Equal(1024 * 1024, options.MaxResponseBodyBytes);
        Assert.NotNull(provider.GetRequiredService<IChatClient>());
    }

    [Fact]
    public void DIRegisteredHttpClientFollowsNoRedirects()
    {
        var services = new ServiceCollection();
        services.AddQwenChatClient(o => o.ApiKey = "sk-test");
        using var provider = services.BuildServiceProvider();

        HttpMessageHandler? handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(QwenChatClientServiceCollectionExtensions.DefaultHttpClientName);
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler;
        }

        var allowAutoRedirect = handler switch
        {
            SocketsHttpHandler sockets => sockets.AllowAutoRedirect,
            HttpClientHandler client => client.AllowAutoRedirect,
            _ => throw new InvalidOperationException($"unexpected primary handler {handler?.GetType()}"),
        };
        Assert.False(allowAutoRedirect);
    }

    [Theory]
    [InlineData("Qwen:MaxResponseBodyBytes", "lots", "'Qwen:MaxResponseBodyBytes' must be a whole number of bytes")]
    [InlineData("Qwen:StreamingResponseTimeout", "later", "'Qwen:StreamingResponseTimeout' must be a time span")]
    public void DIConfigurationRejectsABadNewSetting(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Qwen:ApiKey"] = "sk-test", [key] = value }).Build();
        var services = new ServiceCollection();

        var ex = Record.Exception(() =>
        {
            services.AddQwenChatClient(configuration.GetSection("Qwen"));
            using var provider = services.BuildServiceProvider();
            provider.GetRequiredService<IChatClient>();
        });

        Assert.IsType<InvalidOperationException>(ex);
        Assert.Contains(expected, ex.Message);
    }
}
