namespace WinterAI.Bench;

/// <summary>A customer-service message WinterAI sent through the fake WeChat API.</summary>
public sealed record PushedMessage(string OpenId, string Content, double AtMs);
