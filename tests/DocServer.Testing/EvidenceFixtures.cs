using DocServer.Core.Evidence;

namespace DocServer.Testing;

/// <summary>
/// Realistic passages for evidence tests and benchmarks: a Korean company's work rules (a regulation,
/// a procedure, definitions, penalties) and English household documents. Chunks are longer than the
/// 1200-char window, and the answer to each fixture question sits in the middle, not at the start.
/// </summary>
public static class EvidenceFixtures
{
    public const string KoreanQuestion = "연차휴가 신청 절차";

    public const string EnglishQuestion = "What is the notice period for ending the tenancy?";

    public const string KoreanLeaveRule =
        "제1장 총칙. 이 규칙은 회사와 직원 사이의 근로조건과 복무에 관한 사항을 정한다. 이 규칙에서 정하지 아니한 사항은 관계 법령에 따른다. " +
        "직원은 이 규칙을 성실히 지켜야 하며, 회사는 이 규칙을 모든 직원이 볼 수 있는 곳에 게시한다. 근무시간은 오전 9시부터 오후 6시까지로 하며, " +
        "휴게시간은 낮 12시부터 오후 1시까지로 한다. 업무상 필요한 경우 회사는 직원의 동의를 받아 근무시간을 조정할 수 있다. " +
        "출장 중인 직원의 근무시간은 소정근로시간을 근무한 것으로 본다. 직원은 출근과 퇴근 시각을 근태관리 시스템에 기록하여야 한다. " +
        "지각, 조퇴, 외출을 하려는 직원은 미리 소속 팀장에게 알려야 하며, 부득이한 사유로 미리 알리지 못한 경우에는 사후에 지체 없이 알려야 한다. " +
        "제15조(연차 유급휴가) ① 회사는 1년간 80퍼센트 이상 출근한 직원에게 15일의 유급휴가를 준다. " +
        "② 계속하여 근로한 기간이 1년 미만인 직원 또는 1년간 80퍼센트 미만 출근한 직원에게는 1개월 개근 시 1일의 유급휴가를 준다. " +
        "③ 3년 이상 계속하여 근로한 직원에게는 최초 1년을 초과하는 계속 근로 연수 매 2년에 대하여 1일을 가산한 유급휴가를 준다. " +
        "이 경우 가산휴가를 포함한 총 휴가 일수는 25일을 한도로 한다. " +
        "제16조(연차휴가의 신청 절차) 연차휴가를 사용하려는 직원은 사용 예정일 3일 전까지 전자결재 시스템에서 휴가신청서를 작성하여 소속 팀장의 승인을 받아야 한다. " +
        "다만, 질병이나 가족의 경조사 등 긴급한 사유가 있는 경우에는 사용 당일 오전 10시까지 팀장에게 구두로 알리고, 복귀 후 3일 이내에 신청서를 제출할 수 있다. " +
        "팀장은 신청된 시기에 휴가를 주는 것이 사업 운영에 막대한 지장이 있는 경우에만 그 시기를 변경할 수 있다. " +
        "제17조(휴가의 사용 촉진) 회사는 휴가 사용 기간이 끝나기 6개월 전을 기준으로 10일 이내에 직원별로 사용하지 아니한 휴가 일수를 알려 주고, " +
        "직원이 그 사용 시기를 정하여 회사에 통보하도록 서면으로 촉구한다. 촉구를 받은 직원이 10일 이내에 사용 시기를 정하지 아니하면 회사가 사용 시기를 정하여 서면으로 통보한다. " +
        "제18조(경조사 휴가) 본인 결혼 5일, 자녀 결혼 1일, 배우자 출산 10일, 부모 및 배우자 부모 사망 5일의 경조사 휴가를 준다. " +
        "제19조(병가) 업무 외의 질병이나 부상으로 근무할 수 없는 직원은 연간 60일의 범위에서 병가를 받을 수 있다. 병가가 7일을 넘는 경우에는 의사의 진단서를 제출하여야 한다. " +
        "제20조(휴직) 직원이 다음 각 호의 어느 하나에 해당하는 경우에는 휴직을 명할 수 있다. 1. 업무 외의 질병으로 장기간 요양이 필요한 경우 2. 병역 의무를 이행하게 된 경우 " +
        "3. 만 8세 이하의 자녀를 양육하기 위하여 필요한 경우. 휴직 기간은 근속기간에 포함하되, 승진 소요 기간에는 포함하지 아니한다. " +
        "제21조(복직) 휴직 사유가 없어진 직원은 30일 이내에 복직원을 제출하여야 하며, 회사는 특별한 사정이 없으면 휴직 전의 업무나 그와 같은 수준의 업무에 복귀시킨다. " +
        "제22조(교육) 회사는 직원의 직무 능력 향상을 위하여 연 1회 이상 직무 교육을 실시하며, 교육 시간은 근무시간으로 본다.";

    public const string KoreanDefinitions =
        "제2조(정의) 이 규칙에서 사용하는 용어의 뜻은 다음과 같다. " +
        "1. \"직원\"이란 회사와 근로계약을 체결하고 회사에 근로를 제공하는 사람을 말한다. " +
        "2. \"통상임금\"이란 직원에게 정기적이고 일률적으로 소정근로 또는 총 근로에 대하여 지급하기로 정한 시간급 금액, 일급 금액, 주급 금액, 월급 금액 또는 도급 금액을 말한다. " +
        "3. \"평균임금\"이란 이를 산정하여야 할 사유가 발생한 날 이전 3개월 동안에 그 직원에게 지급된 임금의 총액을 그 기간의 총일수로 나눈 금액을 말한다. " +
        "4. \"연차휴가 미사용 수당\"이란 직원이 사용하지 아니한 연차휴가 일수에 대하여 통상임금을 기준으로 계산하여 지급하는 수당을 말한다. 수당의 계산 방법은 미사용 일수에 1일 통상임금을 곱한 금액으로 한다.";

    public const string KoreanPenalties =
        "제40조(벌칙) 연차 유급휴가를 주지 아니한 사용자는 관계 법령에 따라 2년 이하의 징역 또는 2천만원 이하의 벌금에 처한다. " +
        "휴가 신청 절차를 따르지 아니하고 무단으로 결근한 직원에 대하여는 징계위원회의 의결을 거쳐 견책, 감봉, 정직의 징계를 할 수 있다. " +
        "징계의 기준은 위반의 정도와 고의 여부, 과거의 징계 이력을 고려하여 정한다.";

    public const string KoreanCafeteria =
        "사내 식당은 평일 오전 11시 30분부터 오후 1시 30분까지 운영한다. 식권은 인사팀에서 월 단위로 배부하며, 분실한 식권은 다시 발급하지 아니한다. " +
        "식당 이용 시에는 줄을 서서 차례를 지키고, 식사 후에는 식판을 반납대에 올려놓아야 한다.";

    public const string EnglishTenancy =
        "This tenancy agreement is made between the landlord and the tenant named above for the property at 14 Elm Road. " +
        "The tenant shall pay the rent of 1,150 pounds per calendar month in advance on the first day of each month by standing order. " +
        "The tenant shall keep the interior of the property clean and in good condition, and shall not make alterations without written consent. " +
        "The landlord shall keep the structure and exterior of the property in repair, including drains, gutters and external pipes. " +
        "The tenant shall allow the landlord access at reasonable times of day to inspect the property, given 24 hours' written notice. " +
        "Ending the tenancy: either party may end this tenancy after the fixed term by giving the other at least two months' notice in writing. " +
        "Notice given by the tenant must end on the last day of a rental period. Notice may be served by post or by email to the addresses in this agreement. " +
        "If the tenant leaves before the notice period has ended, rent remains payable until the end of the notice period. " +
        "At the end of the tenancy the tenant shall return all keys and leave the property in the condition recorded in the inventory, fair wear and tear excepted. " +
        "The deposit will be protected in a government-approved scheme within 30 days of receipt and returned within ten days of the end of the tenancy, " +
        "less any deductions agreed in writing. Smoking is not permitted anywhere in the property. Pets may be kept only with the landlord's prior written consent, " +
        "which will not be unreasonably withheld. The tenant is responsible for council tax, water, gas, electricity and broadband charges during the tenancy.";

    public const string EnglishBoiler =
        "Boiler care: the boiler must be serviced once every twelve months by a registered engineer. If the pressure gauge reads below 1 bar, " +
        "top up the system using the filling loop under the boiler until the gauge reads 1.5 bar, then close both valves. Never cover the flue outlet.";

    public static IReadOnlyList<SearchResult> KoreanResults() =>
    [
        new("rules", "rules-3", "취업규칙", "제3장 휴가", KoreanLeaveRule, 0.71, 0.93),
        new("rules", "rules-1", "취업규칙", "제1장 총칙", KoreanDefinitions, 0.55, 0.61),
        new("penalty", "penalty-1", "징계 및 벌칙 규정", "제8장 벌칙", KoreanPenalties, 0.40, 0.48),
        new("rules", "rules-9", "취업규칙", "부칙", KoreanLeaveRule, 0.30, 0.35),
        new("cafeteria", "cafe-1", "사내 식당 안내", null, KoreanCafeteria, 0.20, 0.12),
    ];

    public static IReadOnlyList<SearchResult> EnglishResults() =>
    [
        new("tenancy", "tenancy-2", "Tenancy agreement", "Ending the tenancy", EnglishTenancy, 0.66, 0.88),
        new("boiler", "boiler-1", "Boiler manual", "Care", EnglishBoiler, 0.31, 0.27),
    ];

    /// <summary>Sentences of <see cref="KoreanLeaveRule"/> that answer <see cref="KoreanQuestion"/>, verbatim.</summary>
    public const string KoreanProcedureSentence =
        "제16조(연차휴가의 신청 절차) 연차휴가를 사용하려는 직원은 사용 예정일 3일 전까지 전자결재 시스템에서 휴가신청서를 작성하여 소속 팀장의 승인을 받아야 한다.";

    public const string EnglishNoticeSentence =
        "Ending the tenancy: either party may end this tenancy after the fixed term by giving the other at least two months' notice in writing.";
}
