-- Chinese labels of the codes the views for BI tools show.

-- label_zh: the Chinese label of a code wagecheck's views show (alert tiers and states,
-- sectors, funding types), beside the code; NULL for a code it does not know.
CREATE OR REPLACE FUNCTION wagecheck.label_zh(kind text, code text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT CASE kind
        WHEN 'tier' THEN CASE code WHEN 'G' THEN '一般性指标预警' WHEN 'K' THEN '关键性指标预警'
                                   WHEN 'O' THEN '舆情信息预警' END
        WHEN 'state' THEN CASE code WHEN 'open' THEN '预警中' WHEN 'cleared' THEN '已消除'
                                    WHEN 'overdue' THEN '逾期未整改' WHEN 'rectified' THEN '已整改待确认'
                                    WHEN 'closed' THEN '已销号' WHEN 'verify_overdue' THEN '核查超时'
                                    WHEN 'verified' THEN '已核查待上报' WHEN 'report_overdue' THEN '上报超时'
                                    WHEN 'reported' THEN '已上报' END
        WHEN 'sector' THEN CASE code WHEN 'housing' THEN '住房和城乡建设' WHEN 'transport' THEN '交通运输'
                                     WHEN 'water' THEN '水利' WHEN 'municipal' THEN '市政'
                                     WHEN 'development_reform' THEN '发展改革' WHEN 'other' THEN '其他' END
        WHEN 'funding' THEN CASE code WHEN 'government' THEN '政府投资' WHEN 'soe' THEN '国有企业投资'
                                      WHEN 'other' THEN '其他投资' END
    END
$$;
COMMENT ON FUNCTION wagecheck.label_zh(text, text) IS 'the Chinese label of a code shown by the views for BI tools: kind tier (G 一般性指标预警, K 关键性指标预警, O 舆情信息预警), state (alert states, e.g. overdue 逾期未整改), sector (e.g. housing 住房和城乡建设), funding (government 政府投资, soe 国有企业投资, other 其他投资); NULL for an unknown code';
