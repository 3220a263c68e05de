namespace Qwen.Extensions.AI.DependencyInjection;
