namespace WinterAI.Domain.WeChat.Messages;

public sealed record LocationEvent(double Latitude, double Longitude, double Precision) : EventMessage("LOCATION");
