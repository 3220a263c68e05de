namespace Qwen.Extensions.AI.SemanticKernel;
