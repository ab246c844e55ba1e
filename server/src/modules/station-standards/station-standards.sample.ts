/**
 * The sample "五化" checklist the default data ships (marked `sample`). The notice names the five
 * dimensions only (办公场所标准化、办公环境园林化、队伍管理制度化、基础工作信息化、执法办案规范化,
 * clause 八, aiming at stations that "维护稳定、查控犯罪、服务群众"); no public standard lists the
 * items, so these are written from that wording and the notice's other clauses to show how a
 * checklist reads. The city office edits or replaces them.
 */
import type { CheckItemInput } from './station-standards.schema.js';

export const SAMPLE_CHECKLIST: { notes: string; standardRate: number; modelRate: number; items: CheckItemInput[] } = {
  notes: '示例检查表：依据通知第八条“五化”建设的表述编写，省、市未公布具体检查标准，请市平安林区办按正式标准修改。',
  // 达标: at least 60% of each dimension's items and every key item; 示范: every item.
  standardRate: 60,
  modelRate: 100,
  items: [
    // 办公场所标准化
    {
      dimension: 'premises',
      code: '1.1',
      title: '有独立的办公用房，门头标识、警徽、所名规范统一',
      guidance: '实地查看；租用或与其他单位合用且无独立区域的不通过',
      evidence: '办公场所照片（含门头）',
      key: true,
    },
    {
      dimension: 'premises',
      code: '1.2',
      title: '办公区、接待区、办案区、生活区功能分区明确',
      guidance: '四区分设、标识清楚为通过',
      evidence: '功能区平面图或照片',
      key: false,
    },
    {
      dimension: 'premises',
      code: '1.3',
      title: '设有群众接待室（窗口），公开办事流程、监督电话',
      guidance: '窗口公示内容齐全为通过',
      evidence: '接待窗口及公示栏照片',
      key: false,
    },
    {
      dimension: 'premises',
      code: '1.4',
      title: '执法办案区按规范设置讯（询）问室、候问室，安全防护设施齐全',
      guidance: '防撞软包、监控、报警装置齐全为通过',
      evidence: '办案区照片',
      key: true,
    },
    // 办公环境园林化
    {
      dimension: 'greening',
      code: '2.1',
      title: '院落绿化覆盖，花草树木布局合理、长势良好',
      guidance: '有可绿化区域而未绿化的不通过',
      evidence: '院落照片',
      key: false,
    },
    {
      dimension: 'greening',
      code: '2.2',
      title: '环境整洁，无乱堆乱放，卫生责任落实到人',
      guidance: '随机查看，有卫生责任分工为通过',
      evidence: '卫生责任分工表',
      key: false,
    },
    {
      dimension: 'greening',
      code: '2.3',
      title: '设有林业法制、森林防火、野生动物保护等宣传栏（墙）',
      guidance: '内容当年更新为通过',
      evidence: '宣传栏照片',
      key: false,
    },
    // 队伍管理制度化
    {
      dimension: 'management',
      code: '3.1',
      title: '所长、教导员责任明确，岗位职责上墙',
      guidance: '岗位职责齐全并公示为通过',
      evidence: '岗位职责文件',
      key: false,
    },
    {
      dimension: 'management',
      code: '3.2',
      title: '落实24小时值班备勤制度，值班记录完整',
      guidance: '抽查近三个月值班记录',
      evidence: '值班记录',
      key: true,
    },
    {
      dimension: 'management',
      code: '3.3',
      title: '定期开展政治学习和业务培训，有计划、有记录',
      guidance: '每季度不少于一次',
      evidence: '培训计划与记录',
      key: false,
    },
    {
      dimension: 'management',
      code: '3.4',
      title: '警用装备、枪支弹药、车辆管理制度健全并落实',
      guidance: '制度齐全、台账相符为通过',
      evidence: '装备管理台账',
      key: false,
    },
    {
      dimension: 'management',
      code: '3.5',
      title: '指导护林员队伍，定期联合巡护',
      guidance: '与辖区护林员联合巡护有记录为通过',
      evidence: '联合巡护记录',
      key: false,
    },
    // 基础工作信息化
    {
      dimension: 'informatization',
      code: '4.1',
      title: '接入公安信息网和林业专网，信息系统正常使用',
      guidance: '现场查看系统登录及使用情况',
      evidence: '系统使用截图',
      key: false,
    },
    {
      dimension: 'informatization',
      code: '4.2',
      title: '辖区重点人、重点车、重点区域、重点单位信息录入及时准确',
      guidance: '抽查台账与系统一致为通过',
      evidence: '基础信息台账',
      key: true,
    },
    {
      dimension: 'informatization',
      code: '4.3',
      title: '辖区视频监控、卡口信息接入指挥中心，可实时调阅',
      guidance: '现场调阅验证',
      evidence: null,
      key: false,
    },
    {
      dimension: 'informatization',
      code: '4.4',
      title: '案件、警情信息按时录入，网上流转',
      guidance: '抽查当年案件录入情况',
      evidence: null,
      key: false,
    },
    // 执法办案规范化
    {
      dimension: 'law_enforcement',
      code: '5.1',
      title: '受案立案规范，无有案不立、压案不查',
      guidance: '抽查当年受立案登记',
      evidence: '受立案登记簿',
      key: true,
    },
    {
      dimension: 'law_enforcement',
      code: '5.2',
      title: '执法全过程记录，执法记录仪配备使用到位',
      guidance: '抽查执法视音频资料',
      evidence: '执法记录仪使用台账',
      key: false,
    },
    {
      dimension: 'law_enforcement',
      code: '5.3',
      title: '涉案财物管理规范，设专门保管场所和台账',
      guidance: '账物相符为通过',
      evidence: '涉案财物台账',
      key: false,
    },
    {
      dimension: 'law_enforcement',
      code: '5.4',
      title: '案卷质量合格，当年无执法过错责任追究和被撤销、变更的案件',
      guidance: '抽查案卷，发生执法过错的不通过',
      evidence: '案卷评查结果',
      key: true,
    },
  ],
};
