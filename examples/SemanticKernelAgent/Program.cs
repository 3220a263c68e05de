Console.WriteLine("SemanticKernelAgent example: not yet");
