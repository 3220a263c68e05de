Console.WriteLine("QuickStart example: not yet");
