package io.graphsec.routes.simulator;

import java.util.Locale;

/** The people and machine one alert is about, so that all its evidence tells the same story. */
record AlertScene(String first, String last, String userSid, String aadUserId, String hostName,
                  String mdeDeviceId, String[] os, String[] location, String publicIp, String privateIp) {

    private static final String[] FIRST_NAMES = {"Adele", "Alex", "Diego", "Grady", "Henrietta", "Isaiah", "Johanna",
            "Joni", "Lee", "Lidia", "Lynne", "Megan", "Miriam", "Nestor", "Patti", "Pradeep"};
    private static final String[] LAST_NAMES = {"Vance", "Wilber", "Siciliani", "Archie", "Mueller", "Langer",
            "Lorenz", "Sherman", "Gu", "Holloway", "Robbins", "Bowen", "Graham", "Wilke", "Fernandez", "Gupta"};
    static final String DOMAIN = "contoso.com";
    static final String NT_DOMAIN = "CONTOSO";
    private static final String[] HOST_PREFIXES = {"ws", "lap", "desk", "srv", "vm"};
    private static final String[][] OS_PLATFORMS = {
            {"Windows11", "22631", "23H2"}, {"Windows11", "26100", "24H2"}, {"Windows10", "19045", "22H2"},
            {"WindowsServer2022", "20348", "Other"}, {"WindowsServer2019", "17763", "1809"}, {"Linux", "0", "Other"}};
    // countryLetterCode, countryName, state, city, latitude, longitude
    static final String[][] LOCATIONS = {
            {"US", "United States", "Washington", "Redmond", "47.6740", "-122.1215"},
            {"NL", "Netherlands", "North Holland", "Amsterdam", "52.3676", "4.9041"},
            {"DE", "Germany", "Hesse", "Frankfurt am Main", "50.1109", "8.6821"},
            {"RU", "Russia", "Moscow", "Moscow", "55.7558", "37.6173"},
            {"BR", "Brazil", "Sao Paulo", "Sao Paulo", "-23.5505", "-46.6333"},
            {"SG", "Singapore", "Singapore", "Singapore", "1.3521", "103.8198"},
            {"NG", "Nigeria", "Lagos", "Lagos", "6.5244", "3.3792"},
            {"RO", "Romania", "Bucuresti", "Bucharest", "44.4268", "26.1025"}};

    String account() { return (first + "." + last).toLowerCase(Locale.ROOT); }
    String upn() { return account() + "@" + DOMAIN; }
    String displayName() { return first + " " + last; }

    static AlertScene draw(SeededDraws draws) {
        String first = draws.pick(FIRST_NAMES);
        String last = draws.pick(LAST_NAMES);
        String sid = "S-1-5-21-" + (1_000_000_000L + draws.nextInt(1_000_000_000)) + "-"
                + (1_000_000_000L + draws.nextInt(1_000_000_000)) + "-"
                + (1_000_000_000L + draws.nextInt(1_000_000_000)) + "-" + (1100 + draws.nextInt(9000));
        String host = draws.pick(HOST_PREFIXES) + "-" + draws.hex(6);
        String privateIp = "10." + draws.nextInt(256) + "." + draws.nextInt(256) + "." + (2 + draws.nextInt(250));
        return new AlertScene(first, last, sid, draws.uuid(), host, draws.hex(40), draws.pick(OS_PLATFORMS),
                draws.pick(LOCATIONS), draws.publicIp(), privateIp);
    }
}
