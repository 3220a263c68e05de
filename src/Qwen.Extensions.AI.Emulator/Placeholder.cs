namespace Qwen.Extensions.AI.Emulator;
