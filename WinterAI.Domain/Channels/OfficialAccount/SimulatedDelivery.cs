
namespace WinterAI.Domain.Channels.OfficialAccount;

/// <summary>One delivery of a simulated message and the exact body WeChat would have received (null when held).</summary>
public sealed record SimulatedDelivery(int Delivery, string Outcome, string? Body);
